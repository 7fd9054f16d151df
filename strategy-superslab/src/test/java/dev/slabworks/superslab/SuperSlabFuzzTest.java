package dev.slabworks.superslab;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.testkit.contract.AllocatorFuzzDriver;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.knobs.Preset;

/**
 * The shared fuzz driver against superslab, one target per validation mode plus the churn setting;
 * committed inputs replay on every test run, {@code JAZZER_FUZZ=1} fuzzes one target per JVM.
 */
class SuperSlabFuzzTest {
    private static final SuperSlabFactory FACTORY = new SuperSlabFactory();

    @FuzzTest(maxDuration = "30s")
    void operations_registry(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(FACTORY, Knobs.defaults().with(Knob.DEBUG_CHECKS, true), data);
    }

    @FuzzTest(maxDuration = "30s")
    void operations_mincore(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(FACTORY, Knobs.defaults().with(Knob.VALIDATION, "MINCORE"), data);
    }

    @FuzzTest(maxDuration = "30s")
    void operations_mincore_cached(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(FACTORY, Knobs.defaults().with(Knob.VALIDATION, "MINCORE_CACHED")
                .with(Knob.FC_CAP, 8).with(Knob.FC_REFILL, 4), data);
    }

    @FuzzTest(maxDuration = "30s")
    void operations_churn_without_front(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(FACTORY, Knobs.defaults().with(Knob.SS_LRU_SIZE, 0).with(Knob.SS_PREWARM, 0)
                .with(Knob.SS_SIZE, "64K").with(Knob.TINY_FRONT_DIRECT, false).with(Knob.DEBUG_CHECKS, true), data);
    }

    @FuzzTest(maxDuration = "30s")
    void operations_seed_preset(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(FACTORY, Knobs.defaults(Preset.SEED), data);
    }
}
