package dev.slabworks.sharedpool;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** No front cache: blocks go straight to and from the slabs. */
class SharedPoolFrontCacheOffContractTest extends SharedPoolContractTest {
    @Override
    protected Knobs knobs() {
        return Knobs.defaults().with(Knob.FC_CAP, "0").with(Knob.SS_SIZE, "256KiB");
    }
}
