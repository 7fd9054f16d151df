package dev.slabworks.testkit.reference;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.contract.AllocatorContractTest;

/** The contract suite against the reference allocator: proves the suite passes a correct implementation. */
class DirectOnlyContractTest extends AllocatorContractTest {
    DirectOnlyContractTest() {
        // every block is its own mapping, unmapped when freed
        super(new Configuration("every block its own mapping", Knobs.defaults(), false));
    }

    @Override
    protected AllocatorFactory factory() {
        return DirectOnlyAllocator.FACTORY;
    }
}
