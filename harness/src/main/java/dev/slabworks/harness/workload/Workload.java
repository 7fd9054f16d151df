package dev.slabworks.harness.workload;

import dev.slabworks.api.Allocator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sequence of allocations and frees (docs/DESIGN.md §17), the same in every repetition except where
 * threads race (which thread frees a block in the multi-thread workloads, how far {@code larson} gets in
 * its time). {@link #run} times its loop with {@code System.nanoTime} around it; setup and the final frees
 * of blocks still live are outside the measurement unless the workload's class comment says otherwise
 * ({@code hakmem-random-mixed} times its final drain, as its C original does). The loop calls the
 * allocator through the {@link Allocator} interface on {@code long[]} slots and allocates nothing on the
 * Java heap.
 */
public interface Workload {
    /** The name the command line gives it: {@code random-mixed}, {@code hakmem-random-mixed}, {@code larson}, ... */
    String name();

    /** The arguments, as a results file records them. */
    List<String> args();

    /** One repetition on {@code allocator}; every block it allocated is freed before it returns. */
    Outcome run(Allocator allocator);

    /**
     * {@link #run(Allocator)}, calling {@code loopEnd} once, on the calling thread, when the timed loop has ended
     * and before the blocks still live are freed (after every thread of the loop has ended), so that what the
     * allocator holds at the loop's end can be read. The default never calls it: a workload that does not say
     * where its loop ends has no end-of-loop figures.
     */
    default Outcome run(Allocator allocator, Runnable loopEnd) {
        return run(allocator);
    }

    /**
     * Whether {@code allocator.lifetime=AUTO} keeps one allocator through the run ({@code bench.AllocatorLifetime}):
     * true for a workload too short to be more than a strategy's start-up on a fresh allocator, compared with a
     * native library the JVM has long warmed.
     */
    default boolean measuresWarmAllocator() {
        return false;
    }

    /**
     * What one repetition did: {@code ops} in {@code nanos} of the timed loop. {@code counts} are what the
     * workload counted besides (its phases, failed allocations, remote sends, a remote share in percent),
     * in the order it reports them; a results file records them as {@code workloadCounts}.
     */
    record Outcome(long ops, long nanos, long allocations, long frees, Map<String, Number> counts) {
        public Outcome {
            counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        }

        /** An outcome with no counts besides ops, allocations and frees. */
        public Outcome(long ops, long nanos, long allocations, long frees) {
            this(ops, nanos, allocations, frees, Map.of());
        }

        public double opsPerSecond() {
            return nanos == 0 ? 0 : ops * 1e9 / nanos;
        }
    }
}
