package dev.slabworks.sharedpool;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** Free slabs purged the moment they come back, with MADV_FREE. */
class SharedPoolPurgeAtOnceContractTest extends SharedPoolContractTest {
    @Override
    protected Knobs knobs() {
        return Knobs.defaults().with(Knob.PURGE_DELAY_MS, "0").with(Knob.PURGE_ADVICE, "FREE")
                .with(Knob.SS_SIZE, "256KiB").with(Knob.FC_CAP, "4").with(Knob.FC_REFILL, "2");
    }
}
