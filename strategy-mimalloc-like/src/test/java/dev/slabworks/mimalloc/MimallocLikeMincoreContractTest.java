package dev.slabworks.mimalloc;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** The contract suite with MINCORE validation (the seed's mincore on every free). */
class MimallocLikeMincoreContractTest extends MimallocLikeContractTest {
    @Override
    protected Knobs knobs() {
        return Knobs.defaults().with(Knob.VALIDATION, "MINCORE");
    }
}
