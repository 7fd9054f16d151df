package dev.slabworks.segfit;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.SafetyContractTest;

class SegregatedFitSafetyTest extends SafetyContractTest {
    @Override
    protected AllocatorFactory factory() {
        return new SegregatedFitFactory();
    }
}
