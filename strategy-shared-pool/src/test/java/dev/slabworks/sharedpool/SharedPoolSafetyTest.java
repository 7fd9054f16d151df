package dev.slabworks.sharedpool;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.SafetyContractTest;

class SharedPoolSafetyTest extends SafetyContractTest {
    @Override
    protected AllocatorFactory factory() {
        return new SharedPoolFactory();
    }
}
