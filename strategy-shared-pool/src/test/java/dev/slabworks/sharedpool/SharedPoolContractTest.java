package dev.slabworks.sharedpool;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.AllocatorContractTest;

/** The contract suite under the defaults; the {@code SharedPool*ContractTest} variants override {@link #knobs()}. */
class SharedPoolContractTest extends AllocatorContractTest {
    @Override
    protected AllocatorFactory factory() {
        return new SharedPoolFactory();
    }
}
