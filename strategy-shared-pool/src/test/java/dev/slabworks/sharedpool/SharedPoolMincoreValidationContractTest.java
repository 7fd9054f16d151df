package dev.slabworks.sharedpool;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** The contract suite with MincoreValidation. */
class SharedPoolMincoreValidationContractTest extends SharedPoolContractTest {
    @Override
    protected Knobs knobs() {
        return Knobs.defaults().with(Knob.VALIDATION, "MINCORE");
    }
}
