package dev.slabworks.mimalloc;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.SafetyContractTest;

class MimallocLikeSafetyTest extends SafetyContractTest {
    @Override
    protected AllocatorFactory factory() {
        return new MimallocLikeFactory();
    }
}
