package dev.slabworks.harness.workload;

import dev.slabworks.api.Allocator;

import java.util.List;

/**
 * A deterministic sequence of allocations and frees (docs/DESIGN.md §17). {@link #run} times only
 * its loop, with {@code System.nanoTime} around it; setup and the final frees of blocks still live
 * are outside the measurement. The loop calls the allocator through the {@link Allocator} interface
 * on a {@code long[]} of slots and allocates nothing on the Java heap.
 */
public interface Workload {
    /** {@code random-mixed}, {@code trace-replay}, {@code remote-free}. */
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

    /** What one repetition did: {@code ops} in {@code nanos} of the timed loop. */
    record Outcome(long ops, long nanos, long allocations, long frees) {
        public double opsPerSecond() {
            return nanos == 0 ? 0 : ops * 1e9 / nanos;
        }
    }
}
