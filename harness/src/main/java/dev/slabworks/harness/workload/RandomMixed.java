package dev.slabworks.harness.workload;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.os.Memory;

import java.util.List;

/**
 * {@code random-mixed ITERS WS SEED [MIN MAX]}: the seed report's loop, op for op the C anchor.
 * Per iteration {@code r = next(); slot = r mod WS} (unsigned); a full slot is freed and emptied, an
 * empty one gets {@code allocate(MIN + next() mod (MAX - MIN + 1))} and a write to its first and
 * last byte. One op per iteration; the blocks still live afterwards are freed untimed.
 */
public record RandomMixed(long iterations, int workingSet, long seed, long min, long max) implements Workload {
    public static final String NAME = "random-mixed";
    public static final long DEFAULT_MIN = 16;
    public static final long DEFAULT_MAX = 1024;

    public RandomMixed {
        if (iterations < 0) {
            throw new IllegalArgumentException("random-mixed: ITERS must be >= 0, not " + iterations);
        }
        if (workingSet < 1) {
            throw new IllegalArgumentException("random-mixed: WS must be >= 1, not " + workingSet);
        }
        if (min < 0 || max < min || max > (1L << 30)) {
            throw new IllegalArgumentException("random-mixed: need 0 <= MIN <= MAX <= 1073741824, not MIN="
                    + min + " MAX=" + max);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> args() {
        return List.of(Long.toString(iterations), Integer.toString(workingSet), Long.toString(seed),
                Long.toString(min), Long.toString(max));
    }

    /**
     * Iterations per call of {@link #steps}. The loop lives in a method of its own, entered every
     * {@code STEP} iterations, because the JIT compiles the allocator's fast paths into it. As one
     * loop over all ITERS inside {@code run} (beside the clean-up loop, with a long counter and a
     * count of frees as well), its compiled code kept fewer of the allocator's values in registers:
     * random-mixed (c) measured 12-18 % slower for the Java strategies, 9 % for glibc through FFM and
     * 6 % for the loop alone (JMH, 6 forks, 2026-11-25 at 10da6d9, kept in 4f422c4;
     * benchmarks/measured/README.md, "The workload's loop"). 65536 keeps
     * the calls' cost invisible and makes {@code steps} a method the JIT compiles whole.
     */
    static final int STEP = 1 << 16;

    @Override
    public Outcome run(Allocator allocator) {
        return run(allocator, () -> { });
    }

    @Override
    public Outcome run(Allocator allocator, Runnable loopEnd) {
        long[] slots = new long[workingSet];
        Progress progress = new Progress(seed);
        long span = max - min + 1;
        long start = System.nanoTime();
        for (long left = iterations; left > 0; left -= STEP) {
            steps(allocator, slots, progress, (int) Math.min(left, STEP), min, span);
        }
        long nanos = System.nanoTime() - start;
        loopEnd.run();
        for (long p : slots) {
            if (p != 0) {
                allocator.free(p);
            }
        }
        // every iteration is one op: a free when it is not an allocation
        return new Outcome(iterations, nanos, progress.allocations, iterations - progress.allocations);
    }

    /** {@code count} iterations of the loop, continuing from {@code progress} (see {@link #STEP} for why a method of its own). */
    private static void steps(Allocator allocator, long[] slots, Progress progress, int count, long min, long span) {
        long ws = slots.length;
        long state = progress.state;
        long allocations = progress.allocations;
        for (int n = count; n > 0; n--) {
            state += SplitMix64.GAMMA;
            int slot = (int) Long.remainderUnsigned(SplitMix64.mix(state), ws);
            long p = slots[slot];
            if (p != 0) {
                allocator.free(p);
                slots[slot] = 0;
            } else {
                state += SplitMix64.GAMMA;
                long size = min + Long.remainderUnsigned(SplitMix64.mix(state), span);
                p = allocator.allocate(size);
                if (size > 0) {
                    Memory.putByte(p, (byte) n);
                    Memory.putByte(p + size - 1, (byte) n);
                }
                slots[slot] = p;
                allocations++;
            }
        }
        progress.state = state;
        progress.allocations = allocations;
    }

    /** The generator's state and the allocations so far, carried from one {@link #steps} call to the next. */
    private static final class Progress {
        long state;
        long allocations;

        Progress(long seed) {
            this.state = seed;
        }
    }
}
