package dev.slabworks.harness.workload;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.os.Memory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dist-mixed ITERS WS SEED DIST}: {@link RandomMixed}'s slot logic with the allocator team's size
 * lanes: uniform 16-2048, 4096-32768 and 16-32768 at WS 400 and 20M iterations, and weighted mixes
 * ({@link SizeDistribution}: {@code uniform:MIN:MAX}, {@code app}, {@code trimix:...}). Per iteration
 * {@code r = splitmix64(); slot = r mod WS} (unsigned); a full slot is freed and emptied, an empty one gets
 * {@code allocate(DIST.size(splitmix64()))} and a write to its first and last byte. One op per iteration;
 * the blocks still live afterwards are freed untimed.
 */
public record DistMixed(long iterations, int workingSet, long seed, SizeDistribution distribution) implements Workload {
    public static final String NAME = "dist-mixed";

    public DistMixed {
        Arguments.atLeast(NAME, "ITERS", iterations, 0);
        Arguments.atLeast(NAME, "WS", workingSet, 1);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> args() {
        return List.of(Long.toString(iterations), Integer.toString(workingSet), Long.toString(seed),
                distribution.text());
    }

    @Override
    public Outcome run(Allocator allocator) {
        long[] slots = new long[workingSet];
        long[] state = {seed, 0}; // the generator's state and the allocations so far, from one steps call to the next
        long start = System.nanoTime();
        for (long left = iterations; left > 0; left -= RandomMixed.STEP) {
            steps(allocator, slots, state, (int) Math.min(left, RandomMixed.STEP), distribution.lo(),
                    distribution.span(), distribution.limit());
        }
        long nanos = System.nanoTime() - start;
        for (long p : slots) {
            if (p != 0) {
                allocator.free(p);
            }
        }
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("allocations", state[1]);
        counts.put("frees", iterations - state[1]);
        return new Outcome(iterations, nanos, state[1], iterations - state[1], counts);
    }

    /** {@code count} iterations, continuing from {@code state}: a method of its own for the JIT ({@link RandomMixed#STEP}). */
    private static void steps(Allocator allocator, long[] slots, long[] state, int count, long[] lo, long[] span,
                              long[] limit) {
        long ws = slots.length;
        long s = state[0];
        long allocations = state[1];
        for (int n = count; n > 0; n--) {
            s += SplitMix64.GAMMA;
            int slot = (int) Long.remainderUnsigned(SplitMix64.mix(s), ws);
            long p = slots[slot];
            if (p != 0) {
                allocator.free(p);
                slots[slot] = 0;
            } else {
                s += SplitMix64.GAMMA;
                long size = SizeDistribution.draw(lo, span, limit, SplitMix64.mix(s));
                p = allocator.allocate(size);
                if (size > 0) {
                    Memory.putByte(p, (byte) n);
                    Memory.putByte(p + size - 1, (byte) n);
                }
                slots[slot] = p;
                allocations++;
            }
        }
        state[0] = s;
        state[1] = allocations;
    }
}
