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

    @Override
    public Outcome run(Allocator allocator) {
        long[] slots = new long[workingSet];
        long span = max - min + 1;
        long ws = workingSet;
        long state = seed;
        long allocations = 0;
        long frees = 0;
        long start = System.nanoTime();
        for (long i = 0; i < iterations; i++) {
            state += SplitMix64.GAMMA;
            int slot = (int) Long.remainderUnsigned(SplitMix64.mix(state), ws);
            long p = slots[slot];
            if (p != 0) {
                allocator.free(p);
                slots[slot] = 0;
                frees++;
            } else {
                state += SplitMix64.GAMMA;
                long size = min + Long.remainderUnsigned(SplitMix64.mix(state), span);
                p = allocator.allocate(size);
                if (size > 0) {
                    Memory.putByte(p, (byte) i);
                    Memory.putByte(p + size - 1, (byte) i);
                }
                slots[slot] = p;
                allocations++;
            }
        }
        long nanos = System.nanoTime() - start;
        for (long p : slots) {
            if (p != 0) {
                allocator.free(p);
            }
        }
        return new Outcome(iterations, nanos, allocations, frees);
    }
}
