package dev.slabworks.sharedpool;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.testkit.contract.AllocatorFuzzDriver;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.knobs.Preset;

/** The model-checked fuzz driver, one target per validation mode; committed inputs replay on every run. */
class SharedPoolFuzzTest {
    private static final Knobs SMALL = Knobs.defaults().with(Knob.SS_SIZE, "128KiB").with(Knob.SS_LRU_SIZE, "1")
            .with(Knob.FC_CAP, "8").with(Knob.FC_REFILL, "4").with(Knob.PURGE_DELAY_MS, "0")
            .with(Knob.DEBUG_CHECKS, "true");

    @FuzzTest(maxDuration = "20s")
    void operations_registry(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(new SharedPoolFactory(), SMALL.with(Knob.VALIDATION, "REGISTRY"), data);
    }

    @FuzzTest(maxDuration = "20s")
    void operations_mincore(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(new SharedPoolFactory(), SMALL.with(Knob.VALIDATION, "MINCORE"), data);
    }

    @FuzzTest(maxDuration = "20s")
    void operations_mincore_cached(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(new SharedPoolFactory(), SMALL.with(Knob.VALIDATION, "MINCORE_CACHED"), data);
    }

    @FuzzTest(maxDuration = "20s")
    void operations_front_cache_off(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(new SharedPoolFactory(), SMALL.with(Knob.FC_CAP, "0"), data);
    }

    @FuzzTest(maxDuration = "30s")
    void operations_seed_preset(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(new SharedPoolFactory(), Knobs.defaults(Preset.SEED), data);
    }
}
