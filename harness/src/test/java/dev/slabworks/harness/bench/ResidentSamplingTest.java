package dev.slabworks.harness.bench;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.Os;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import dev.slabworks.harness.wiring.Strategies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The independent check of a strategy's resident figure: the sampler's peak, read by {@code mincore} from its own
 * thread, against the pages the test itself wrote. The test allocates blocks of tiny, medium, large and direct
 * sizes and writes one byte in every page of each, so the pages it touched are known exactly; the allocator adds
 * only its own few (SuperSlab headers, free-list links in blocks already touched), and its untouched reserve
 * (prewarm, the rest of a SuperSlab or segment) must not count.
 */
class ResidentSamplingTest {
    private static final long TOUCHED_TARGET = 24L << 20;
    private static final long[] SIZES = {48, 640, 3000, 24_000, 200_000};

    static List<AllocatorFactory> strategies() {
        return Strategies.factories(Strategies.injector()).values().stream()
                .filter(f -> !f.name().equals(DirectOnlyAllocator.FACTORY.name())) // test-only, measures nothing
                .toList();
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void the_sampled_resident_peak_is_within_ten_percent_of_the_pages_the_workload_touched(AllocatorFactory factory)
            throws InterruptedException {
        try (Allocator a = factory.create(Knobs.defaults())) {
            MemorySampler sampler = MemorySampler.start(a, 1);
            Set<Long> pages = new HashSet<>();
            List<Long> blocks = new ArrayList<>();
            long requested = 0;
            for (int i = 0; requested < TOUCHED_TARGET; i++) {
                long size = SIZES[i % SIZES.length];
                long p = a.allocate(size);
                for (long at = p; at < p + size; at += Os.PAGE_SIZE) {
                    Memory.putByte(at, (byte) 1);
                    pages.add(at >>> Os.PAGE_SHIFT);
                }
                Memory.putByte(p + size - 1, (byte) 1);
                pages.add((p + size - 1) >>> Os.PAGE_SHIFT);
                blocks.add(p);
                requested += size;
            }
            awaitReadingsOnTheSamplersThread(sampler, 2);
            long mapped = a.memoryUse().mappedBytes();
            for (long p : blocks) {
                a.free(p);
            }
            sampler.stop();
            long touched = pages.size() * Os.PAGE_SIZE;
            assertThat(sampler.residentPeak()).as("%s: resident peak vs %d bytes of pages touched", factory.name(), touched)
                    .isBetween((long) (touched * 0.9), (long) (touched * 1.1));
            assertThat(mapped).as("mapped spans at least what was touched").isGreaterThanOrEqualTo(touched);
        }
    }

    /** Waits (at most 10 s) until the sampler's own thread has read the allocator {@code readings} more times. */
    private static void awaitReadingsOnTheSamplersThread(MemorySampler sampler, int readings) throws InterruptedException {
        int target = sampler.samples() + readings;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sampler.samples() < target && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(sampler.samples()).as("readings by the sampling thread").isGreaterThanOrEqualTo(target);
    }
}
