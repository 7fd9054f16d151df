package dev.slabworks.mimalloc;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.contract.AllocatorFuzzDriver;

/** The fuzz driver against mimalloc-like, one target per validation mode; committed inputs replay on every test run. */
class MimallocLikeFuzzTest {
    private static final MimallocLikeFactory FACTORY = new MimallocLikeFactory();

    @FuzzTest(maxDuration = "20s")
    void operations_mincore_cached(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(FACTORY, Knobs.defaults(), data);
    }

    @FuzzTest(maxDuration = "20s")
    void operations_registry(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(FACTORY, Knobs.defaults().with(Knob.VALIDATION, "REGISTRY"), data);
    }

    @FuzzTest(maxDuration = "20s")
    void operations_mincore(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(FACTORY, Knobs.defaults().with(Knob.VALIDATION, "MINCORE"), data);
    }

    @FuzzTest(maxDuration = "20s")
    void operations_small_segments_with_debug_checks(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(FACTORY, Knobs.defaults()
                .with(MimallocLikeKnobs.SEGMENT_SIZE, "64KiB").with(MimallocLikeKnobs.PAGE_SIZE, "64KiB")
                .with(Knob.PURGE_DELAY_MS, 0).with(Knob.DEBUG_CHECKS, true), data);
    }
}
