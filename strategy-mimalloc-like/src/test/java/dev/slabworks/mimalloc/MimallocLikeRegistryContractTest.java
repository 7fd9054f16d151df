package dev.slabworks.mimalloc;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** The contract suite with REGISTRY validation (no syscall in free). */
class MimallocLikeRegistryContractTest extends MimallocLikeContractTest {
    @Override
    protected Knobs knobs() {
        return Knobs.defaults().with(Knob.VALIDATION, "REGISTRY");
    }
}
