package dev.slabworks.testkit.reference;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.testkit.contract.AllocatorFuzzDriver;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** The fuzz driver against the reference allocator; committed inputs replay on every test run. */
class DirectOnlyFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void operations(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(DirectOnlyAllocator.FACTORY, Knobs.defaults(), data);
    }

    @FuzzTest(maxDuration = "20s")
    void operations_with_mincore_cached_validation(FuzzedDataProvider data) {
        AllocatorFuzzDriver.run(DirectOnlyAllocator.FACTORY, Knobs.defaults().with(Knob.VALIDATION, "MINCORE_CACHED"), data);
    }
}
