package dev.slabworks.superslab;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.AllocatorContractTest;
import dev.slabworks.api.knobs.Knobs;

/** The contract suite with default knobs (2 MiB SuperSlabs, LRU 16, prewarm 4, front cache on). */
class SuperSlabContractTest extends AllocatorContractTest {
    @Override
    protected AllocatorFactory factory() {
        return new SuperSlabFactory();
    }

    @Override
    protected Knobs knobs() {
        return Knobs.defaults();
    }
}
