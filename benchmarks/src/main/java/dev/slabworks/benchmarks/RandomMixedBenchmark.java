package dev.slabworks.benchmarks;

import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.harness.workload.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code random-mixed} through the harness's own loop ({@link RandomMixed#run}): one benchmark
 * invocation is one whole run, and {@code @OperationsPerInvocation} makes the score the loop's
 * iterations per second, the figure {@code ./slabworks bench} prints. The run's slot array (8 bytes
 * per working-set slot) and the 24-byte record of its progress are its only Java-heap allocations:
 * {@code -prof gc} shows them spread over the run's iterations (4096 slots over 20M iterations: 0.0016 B/op).
 *
 * <pre>
 *   ./slabworks jmh RandomMixedBenchmark                       # seed args, (c) and (d) on everything found
 *   ./slabworks jmh 'RandomMixedBenchmark.anchorC' -p strategy=glibc,none -prof gc
 * </pre>
 */
// SuiteRunSettings with 3 s iterations instead of 2 (the iteration counts come from there)
@Warmup(time = 3)
@Measurement(time = 3)
public class RandomMixedBenchmark extends SuiteRunSettings {
    /** The seed benchmark's arguments: {@code random-mixed 200000 4096 1234567}. */
    static final RandomMixed SEED = new RandomMixed(200_000, 4096, 1234567, RandomMixed.DEFAULT_MIN, RandomMixed.DEFAULT_MAX);
    /** Anchor (c): {@code random-mixed 20000000 4096 1234567}. */
    static final RandomMixed ANCHOR_C = new RandomMixed(20_000_000, 4096, 1234567, RandomMixed.DEFAULT_MIN, RandomMixed.DEFAULT_MAX);
    /** Anchor (d): {@code random-mixed 10000000 65536 1234567 16 4096}. */
    static final RandomMixed ANCHOR_D = new RandomMixed(10_000_000, 65536, 1234567, 16, 4096);

    @Benchmark
    @OperationsPerInvocation(200_000)
    public Workload.Outcome seed(AllocatorState s, Syscalls syscalls) {
        return SEED.run(s.allocator);
    }

    @Benchmark
    @OperationsPerInvocation(20_000_000)
    public Workload.Outcome anchorC(AllocatorState s, Syscalls syscalls) {
        return ANCHOR_C.run(s.allocator);
    }

    @Benchmark
    @OperationsPerInvocation(10_000_000)
    public Workload.Outcome anchorD(AllocatorState s, Syscalls syscalls) {
        return ANCHOR_D.run(s.allocator);
    }
}
