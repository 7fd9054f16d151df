package dev.slabworks.superslab;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.AllocatorContractTest;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** The contract suite in the seed's churn setting: no LRU, no prewarm, 64 KiB SuperSlabs. */
class SuperSlabChurnContractTest extends AllocatorContractTest {
    @Override
    protected AllocatorFactory factory() {
        return new SuperSlabFactory();
    }

    @Override
    protected Knobs knobs() {
        return Knobs.defaults().with(Knob.SS_LRU_SIZE, 0).with(Knob.SS_PREWARM, 0).with(Knob.SS_SIZE, "64K");
    }

    @Override
    protected boolean freedBlocksStayMapped() {
        return false; // an emptied SuperSlab is unmapped at once: a second free of its last block is FOREIGN
    }
}
