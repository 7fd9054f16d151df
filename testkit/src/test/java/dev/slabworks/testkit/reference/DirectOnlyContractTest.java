package dev.slabworks.testkit.reference;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.AllocatorContractTest;

/** The contract suite against the reference allocator: proves the suite passes a correct implementation. */
class DirectOnlyContractTest extends AllocatorContractTest {
    @Override
    protected AllocatorFactory factory() {
        return DirectOnlyAllocator.FACTORY;
    }

    @Override
    protected boolean freedBlocksStayMapped() {
        return false; // every block is its own mapping, unmapped when freed
    }
}
