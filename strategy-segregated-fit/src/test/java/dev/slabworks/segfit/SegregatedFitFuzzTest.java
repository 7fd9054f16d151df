package dev.slabworks.segfit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.contract.AllocatorFuzzDriver;

/**
 * The shared fuzz driver against segregated-fit, one target per validation mode plus small chunks that empty and
 * are unmapped at once; committed inputs replay on every test run, {@code JAZZER_FUZZ=1} fuzzes one target per JVM.
 */
class SegregatedFitFuzzTest {
    private static final SegregatedFitFactory FACTORY = new SegregatedFitFactory();

    @FuzzTest(maxDuration = "30s")
    void operations_registry(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(FACTORY, Knobs.defaults().with(Knob.DEBUG_CHECKS, true), data);
    }

    @FuzzTest(maxDuration = "30s")
    void operations_mincore_cached(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(FACTORY, Knobs.defaults().with(Knob.VALIDATION, "MINCORE_CACHED"), data);
    }

    @FuzzTest(maxDuration = "30s")
    void operations_small_chunks_none_kept(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(FACTORY, Knobs.defaults().with(SegregatedFitKnobs.CHUNK_SIZE, "64K")
                .with(SegregatedFitKnobs.EMPTY_CHUNKS, 0).with(Knob.DEBUG_CHECKS, true), data);
    }
}
