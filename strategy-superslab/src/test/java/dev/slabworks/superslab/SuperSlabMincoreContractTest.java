package dev.slabworks.superslab;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.AllocatorContractTest;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** The contract suite with the seed's mincore-first validation. */
class SuperSlabMincoreContractTest extends AllocatorContractTest {
    @Override
    protected AllocatorFactory factory() {
        return new SuperSlabFactory();
    }

    @Override
    protected Knobs knobs() {
        return Knobs.defaults().with(Knob.VALIDATION, "MINCORE");
    }
}
