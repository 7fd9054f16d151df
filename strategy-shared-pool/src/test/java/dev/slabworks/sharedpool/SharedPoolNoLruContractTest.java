package dev.slabworks.sharedpool;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** No LRU, no prewarm: every SuperSlab that empties is unmapped at once. */
class SharedPoolNoLruContractTest extends SharedPoolContractTest {
    @Override
    protected Knobs knobs() {
        return Knobs.defaults().with(Knob.SS_LRU_SIZE, "0").with(Knob.SS_PREWARM, "0");
    }
}
