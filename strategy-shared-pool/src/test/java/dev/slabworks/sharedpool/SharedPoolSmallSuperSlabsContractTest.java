package dev.slabworks.sharedpool;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** 256 KiB SuperSlabs of four slabs: slabs change hands and SuperSlabs empty all the time. */
class SharedPoolSmallSuperSlabsContractTest extends SharedPoolContractTest {
    @Override
    protected Knobs knobs() {
        return Knobs.defaults().with(Knob.SS_SIZE, "256KiB").with(Knob.DEBUG_CHECKS, "true");
    }
}
