package dev.slabworks.harness.workload;

import com.sun.management.ThreadMXBean;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.baseline.NativeAllocator;
import dev.slabworks.harness.baseline.NativeLibrary;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The timed loops allocate nothing on the Java heap per operation (only their slot arrays per run). */
class HotLoopAllocationTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    static long allocatedBy(Runnable r) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        r.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void randomMixedOnANativeBaselineAllocatesOnlyItsSlots() {
        RandomMixed w = new RandomMixed(1_000_000, 1024, 3, 16, 1024);
        try (NativeAllocator glibc = new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            for (int i = 0; i < 3; i++) {
                w.run(glibc);
            }
            // 1M operations; boxing even one long per op would be 16 MB
            assertThat(allocatedBy(() -> w.run(glibc))).isLessThan(64 * 1024);
        }
    }

    @Test
    void hakmemRandomMixedAndDistMixedAllocateOnlyTheirSlots() {
        List<Workload> loops = List.of(new HakmemRandomMixed(1_000_000, 1024, 3, 16, 1039),
                new DistMixed(1_000_000, 400, 3, SizeDistribution.parse("app")));
        try (NativeAllocator glibc = new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            for (Workload w : loops) {
                for (int i = 0; i < 3; i++) {
                    w.run(glibc);
                }
                // 1M iterations (1.1M with the prefault); the outcome's counts are a few hundred bytes
                assertThat(allocatedBy(() -> w.run(glibc))).as(w.name()).isLessThan(64 * 1024);
            }
        }
    }

    @Test
    void theMultiThreadLoopsAllocateOnlyTheirSetUp() {
        // every thread's allocations: the workers' as well as this one's
        List<Workload> loops = List.of(new MtRemote(2, 500_000, 400, 16, 2048, 90, 1024),
                new Xmalloc(2, 500_000, 16, 256));
        try (NativeAllocator glibc = new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            for (Workload w : loops) {
                for (int i = 0; i < 3; i++) {
                    w.run(glibc);
                }
                long before = THREADS.getTotalThreadAllocatedBytes();
                w.run(glibc);
                // 2M operations; threads, rings, slots and batches are a few tens of KB
                assertThat(THREADS.getTotalThreadAllocatedBytes() - before).as(w.name()).isLessThan(256 * 1024);
            }
        }
    }

    @Test
    void traceReplayAllocatesOnlyItsSlots() {
        TraceReplay w = new TraceReplay(MtraceParserTest.fixture("python-json.mtrace.xz"));
        try (NativeAllocator glibc = new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            for (int i = 0; i < 20; i++) {
                w.run(glibc);
            }
            long perRun = allocatedBy(() -> {
                for (int i = 0; i < 10; i++) {
                    w.run(glibc);
                }
            }) / 10;
            assertThat(perRun).isLessThan(16L * w.trace().slots() + 4096);
        }
    }
}
