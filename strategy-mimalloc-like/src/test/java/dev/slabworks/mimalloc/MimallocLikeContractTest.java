package dev.slabworks.mimalloc;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.AllocatorContractTest;

/** The contract suite with default knobs: MINCORE_CACHED validation, 4 MiB segments, 64 KiB pages. */
class MimallocLikeContractTest extends AllocatorContractTest {
    @Override
    protected AllocatorFactory factory() {
        return new MimallocLikeFactory();
    }
}
