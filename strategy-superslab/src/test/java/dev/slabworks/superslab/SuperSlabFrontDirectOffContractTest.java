package dev.slabworks.superslab;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.AllocatorContractTest;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** The contract suite with front-direct off: allocate and free go straight to the slab free lists. */
class SuperSlabFrontDirectOffContractTest extends AllocatorContractTest {
    @Override
    protected AllocatorFactory factory() {
        return new SuperSlabFactory();
    }

    @Override
    protected Knobs knobs() {
        return Knobs.defaults().with(Knob.TINY_FRONT_DIRECT, false);
    }
}
