package dev.slabworks.superslab;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.AllocatorContractTest;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** The contract suite without a front cache (fc.cap = 0). */
class SuperSlabFrontCacheOffContractTest extends AllocatorContractTest {
    @Override
    protected AllocatorFactory factory() {
        return new SuperSlabFactory();
    }

    @Override
    protected Knobs knobs() {
        return Knobs.defaults().with(Knob.FC_CAP, 0);
    }
}
