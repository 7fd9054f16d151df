package dev.slabworks.harness.workload;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.OutOfNativeMemoryError;
import dev.slabworks.harness.knobs.HarnessKnobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hakmem-random-mixed CYCLES WS SEED [MIN MAX]}: the seed's own benchmark, op for op the allocator
 * team's {@code bench_random_mixed.c} (DESIGN.md section 9), where {@link RandomMixed} is our approximation.
 * <pre>
 *   x ^= x &lt;&lt; 13; x ^= x &gt;&gt;&gt; 17; x ^= x &lt;&lt; 5     xorshift32 on 32 bits: one draw r = x per iteration
 *   slot = r mod WS (unsigned)
 *   slot full:  free it, empty it
 *   slot empty: size = min(max(16 + (r &amp; 0x3FF), MIN), MAX)     16..1039 before the clamp
 *               p = allocate(size); byte 0 of p = (byte) r; slot = p
 *               (a failed allocation leaves the slot empty: counted, not fatal)
 * </pre>
 * Phases, in this order, on the same slots:
 * <ol>
 *   <li>warm-up (knob {@code bench.warmup}, {@code HAKMEM_BENCH_WARMUP}, default 0): that many iterations
 *       from {@code SEED}, then every slot drained. Untimed.</li>
 *   <li>prefault (knob {@code bench.prefault}, {@code HAKMEM_BENCH_PREFAULT}, default CYCLES / 10): that many
 *       iterations from {@code SEED + 0xDEADBEEF} (32-bit wrap), their blocks left live. Untimed.</li>
 *   <li>the loop: CYCLES iterations from {@code SEED}, then the drain of every slot. Timed, drain included;
 *       ops = CYCLES (the C program's throughput is CYCLES / time).</li>
 * </ol>
 * MIN and MAX only clamp, they never widen (defaults 16 and 1039); the knobs {@code bench.c5.only},
 * {@code bench.c6.only}, {@code bench.c7.only} set both to 256, 512 or 1024 (the first one set wins). Knobs are
 * read from the allocator's snapshot ({@link Allocator#knobs}), so {@code --set}, system properties and the
 * seed's environment names all work and the results record them. With {@code 200000 4096 1234567} the loop
 * makes 101,003 allocations and 98,997 frees with no prefault, 100,000 and 100,000 after the default prefault
 * of 20,000 iterations (11,046 allocations, 8,954 frees): {@code HakmemRandomMixedTest} pins these.
 */
public record HakmemRandomMixed(long cycles, int workingSet, int seed, long min, long max) implements Workload {
    public static final String NAME = "hakmem-random-mixed";
    public static final long DEFAULT_MIN = 16;
    public static final long DEFAULT_MAX = 16 + 0x3FF;
    /** The prefault's seed is the loop's plus this (32-bit wrap), so its sequence differs from the loop's. */
    static final int PREFAULT_SEED_OFFSET = 0xDEADBEEF;

    public HakmemRandomMixed {
        Arguments.atLeast(NAME, "CYCLES", cycles, 0);
        Arguments.atLeast(NAME, "WS", workingSet, 1);
        Arguments.sizes(NAME, min, max);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> args() {
        return List.of(Long.toString(cycles), Integer.toString(workingSet), Integer.toUnsignedString(seed),
                Long.toString(min), Long.toString(max));
    }

    /** What the knobs make of this run: the untimed phases' lengths and the sizes' clamp. */
    public record Phases(long warmup, long prefault, long min, long max) {
    }

    public Phases phases(Knobs knobs) {
        long prefault = knobs.longValue(HarnessKnobs.BENCH_PREFAULT);
        long lo = min;
        long hi = max;
        if (knobs.flag(HarnessKnobs.BENCH_C5_ONLY)) {
            lo = hi = 256;
        } else if (knobs.flag(HarnessKnobs.BENCH_C6_ONLY)) {
            lo = hi = 512;
        } else if (knobs.flag(HarnessKnobs.BENCH_C7_ONLY)) {
            lo = hi = 1024;
        }
        return new Phases(knobs.longValue(HarnessKnobs.BENCH_WARMUP), prefault < 0 ? cycles / 10 : prefault, lo, hi);
    }

    @Override
    public Outcome run(Allocator allocator) {
        return timed(allocator, prepare(allocator));
    }

    /** {@link #run(Allocator)}; the loop's end is that of its timed phase, after the drain. */
    @Override
    public Outcome run(Allocator allocator, Runnable loopEnd) {
        return timed(allocator, prepare(allocator), loopEnd);
    }

    /** The slots after the untimed phases, and what those phases did. */
    public static final class Prepared {
        final Phases phases;
        final long[] slots;
        final Progress warmup;
        final Progress prefault;

        Prepared(Phases phases, long[] slots, Progress warmup, Progress prefault) {
            this.phases = phases;
            this.slots = slots;
            this.warmup = warmup;
            this.prefault = prefault;
        }
    }

    /** The untimed phases: warm-up (then drained) and prefault (left live), as the knobs of {@code allocator} say. */
    public Prepared prepare(Allocator allocator) {
        Phases phases = phases(allocator.knobs());
        long[] slots = new long[workingSet];
        Progress warmup = iterate(allocator, slots, seed, phases.warmup, phases);
        drain(allocator, slots);
        Progress prefault = iterate(allocator, slots, seed + PREFAULT_SEED_OFFSET, phases.prefault, phases);
        return new Prepared(phases, slots, warmup, prefault);
    }

    /** The timed phase on what {@link #prepare} left: the loop and the drain (split for JMH, which times all of a call). */
    public Outcome timed(Allocator allocator, Prepared prepared) {
        return timed(allocator, prepared, () -> { });
    }

    private Outcome timed(Allocator allocator, Prepared prepared, Runnable loopEnd) {
        long[] slots = prepared.slots;
        long start = System.nanoTime();
        Progress loop = iterate(allocator, slots, seed, cycles, prepared.phases);
        long drained = drain(allocator, slots);
        long nanos = System.nanoTime() - start;
        loopEnd.run();

        Progress warmup = prepared.warmup;
        Progress prefault = prepared.prefault;
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("warmupAllocations", warmup.allocations);
        counts.put("prefaultAllocations", prefault.allocations);
        counts.put("prefaultFrees", prefault.frees(prepared.phases.prefault));
        counts.put("loopAllocations", loop.allocations);
        counts.put("loopFrees", loop.frees(cycles));
        counts.put("drainFrees", drained);
        counts.put("failedAllocations", warmup.failed + prefault.failed + loop.failed);
        return new Outcome(cycles, nanos, loop.allocations, loop.frees(cycles) + drained, counts);
    }

    private static Progress iterate(Allocator allocator, long[] slots, int seed, long iterations, Phases phases) {
        Progress progress = new Progress(seed);
        for (long left = iterations; left > 0; left -= RandomMixed.STEP) {
            steps(allocator, slots, progress, (int) Math.min(left, RandomMixed.STEP), phases.min, phases.max);
        }
        return progress;
    }

    /** {@code count} iterations, continuing from {@code progress}: a method of its own for the JIT, as {@link RandomMixed#STEP} says. */
    private static void steps(Allocator allocator, long[] slots, Progress progress, int count, long min, long max) {
        int ws = slots.length;
        int x = progress.state;
        long allocations = progress.allocations;
        long failed = progress.failed;
        for (int n = count; n > 0; n--) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            int slot = Integer.remainderUnsigned(x, ws);
            long p = slots[slot];
            if (p != 0) {
                allocator.free(p);
                slots[slot] = 0;
            } else {
                long size = Math.min(Math.max(16 + (x & 0x3FF), min), max);
                try {
                    p = allocator.allocate(size);
                } catch (OutOfNativeMemoryError e) {
                    failed++;
                    continue;
                }
                Memory.putByte(p, (byte) x);
                slots[slot] = p;
                allocations++;
            }
        }
        progress.state = x;
        progress.allocations = allocations;
        progress.failed = failed;
    }

    /** Frees every full slot; returns how many. */
    private static long drain(Allocator allocator, long[] slots) {
        long frees = 0;
        for (int i = 0; i < slots.length; i++) {
            long p = slots[i];
            if (p != 0) {
                allocator.free(p);
                slots[i] = 0;
                frees++;
            }
        }
        return frees;
    }

    /** A phase's generator state and counts, carried from one {@link #steps} call to the next. */
    private static final class Progress {
        int state;
        long allocations;
        long failed;

        Progress(int seed) {
            this.state = seed;
        }

        /** Every iteration frees, allocates or fails to allocate. */
        long frees(long iterations) {
            return iterations - allocations - failed;
        }
    }
}
