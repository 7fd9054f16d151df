package dev.slabworks.superslab;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.SafetyContractTest;

class SuperSlabSafetyTest extends SafetyContractTest {
    @Override
    protected AllocatorFactory factory() {
        return new SuperSlabFactory();
    }
}
