package dev.slabworks.harness.workload;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.slabworks.api.Allocator;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.OutOfNativeMemoryError;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code larson THREADS SECONDS MIN MAX BLOCKS_PER_THREAD ROUNDS}: Larson's server simulation, as
 * mimalloc-bench runs it ({@code larson 5 8 1000 5000 100 4141 N}): blocks outlive the thread that allocated
 * them, so most frees are of blocks another (often dead) thread allocated. THREADS lanes, each an array of
 * BLOCKS_PER_THREAD blocks and a 32-bit LCG {@code s = s * 1664525 + 1013904223} seeded
 * {@code 0x12345678 + lane * 977} (the allocator team's per-thread seeding):
 * <ol>
 *   <li>Untimed: the main thread fills every lane's array: {@code size = MIN + r mod (MAX - MIN + 1)},
 *       first and last byte written.</li>
 *   <li>Timed: each lane runs on a thread of its own, all released together. One iteration:
 *       {@code victim = r1 mod BLOCKS}; the block there is freed (one op); a block of
 *       {@code MIN + r2 mod (MAX - MIN + 1)} bytes takes its place, first and last byte written (one op; a
 *       failed allocation leaves the place empty and is counted). After ROUNDS x BLOCKS iterations the thread
 *       starts a new thread with the lane's array and ends: the hand-off of the original, so the next thread
 *       frees what a dead one allocated.</li>
 *   <li>After SECONDS the lanes are told to stop; each stops within one iteration; the window ends when the
 *       last has. Every generation makes at least one iteration, so a thread the kernel kept waiting past
 *       SECONDS still counts (a zero would read as a failed run). Throughput = (allocations + frees) / window (Larson's own program prints allocations / s,
 *       half of that).</li>
 *   <li>Untimed: the main thread frees every lane's blocks.</li>
 * </ol>
 * Time-bounded, unlike the other workloads: every repetition of a bench runs SECONDS (decimals allowed,
 * e.g. 0.5) and makes as many ops as it can, so repetitions differ in ops as well as in time; ops/s is what
 * compares, and {@code bench --reps N --warmup M} costs (N + M) x SECONDS per contender. Creating a thread per
 * generation allocates on the Java heap, once per ROUNDS x BLOCKS iterations, never per op. The counts give
 * the threads that ran ({@code threads}, THREADS at least). {@link #runGenerations} bounds the lanes by
 * generations instead of time, for a fixed amount of work (the JMH benchmark).
 */
public record Larson(int threads, long durationNanos, long min, long max, int blocksPerThread, int rounds)
        implements Workload {
    public static final String NAME = "larson";
    static final int SEED = 0x12345678;
    static final int SEED_STEP = 977;
    static final long MAX_SECONDS = 86_400;

    public Larson {
        Arguments.between(NAME, "THREADS", threads, 1, 1024);
        if (durationNanos < 1_000_000 || durationNanos > TimeUnit.SECONDS.toNanos(MAX_SECONDS)) {
            throw new IllegalArgumentException(NAME + ": SECONDS must be from 0.001 to " + MAX_SECONDS + ", not "
                    + seconds(durationNanos));
        }
        Arguments.sizes(NAME, min, max);
        Arguments.atLeast(NAME, "BLOCKS_PER_THREAD", blocksPerThread, 1);
        Arguments.atLeast(NAME, "ROUNDS", rounds, 1);
    }

    /** The untimed clean-up of every lane made so far (null: not made yet). */
    private static void emptyAll(Lane[] lanes) {
        for (Lane lane : lanes) {
            if (lane != null) {
                lane.empty();
            }
        }
    }

    /** {@code nanos} in seconds, as few digits as it takes: 5, 0.5, 0.001. */
    static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> args() {
        return List.of(Integer.toString(threads), seconds(durationNanos), Long.toString(min), Long.toString(max),
                Integer.toString(blocksPerThread), Integer.toString(rounds));
    }

    @Override
    public Outcome run(Allocator allocator) {
        return run(allocator, () -> { });
    }

    @Override
    public Outcome run(Allocator allocator, Runnable loopEnd) {
        return run(allocator, durationNanos, Integer.MAX_VALUE, loopEnd);
    }

    /**
     * One repetition bounded by work instead of time: each lane runs {@code generations} threads of
     * ROUNDS x BLOCKS iterations each, so ops = 2 x THREADS x generations x ROUNDS x BLOCKS when no allocation fails.
     */
    public Outcome runGenerations(Allocator allocator, int generations) {
        Arguments.atLeast(NAME, "generations", generations, 1);
        return run(allocator, Long.MAX_VALUE, generations, () -> { });
    }

    private Outcome run(Allocator allocator, long bound, int generations, Runnable loopEnd) {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Lane[] lanes = new Lane[threads];
        int running = 0;
        long nanos;
        try {
            for (int i = 0; i < threads; i++) {
                lanes[i] = new Lane(this, allocator, i, stop, done, failure, generations);
                lanes[i].fill();
            }
            for (; running < threads; running++) {
                Lane lane = lanes[running];
                Thread.ofPlatform().name(NAME + "-" + running + "-1").start(() -> {
                    ready.countDown();
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    lane.run();
                });
            }
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            if (bound != Long.MAX_VALUE) {
                done.await(bound, TimeUnit.NANOSECONDS); // returns early only when every lane failed
                stop.setRelease(true);
            }
            done.await();
            nanos = System.nanoTime() - start;
        } catch (Throwable t) { // a fill or a thread start failed, or the wait was interrupted: no lane left behind
            stop.setRelease(true);
            go.countDown(); // the lanes started make their one iteration and end
            for (int i = running; i < threads; i++) {
                done.countDown();
            }
            Uninterruptibles.awaitUninterruptibly(done); // keeps an interrupt that comes meanwhile
            Throwable cause = t;
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                cause = new IllegalStateException(NAME + " interrupted", t);
            }
            Together.cleanUpThenRethrow(cause, () -> emptyAll(lanes));
            throw new AssertionError("unreachable", t);
        }
        loopEnd.run();
        long allocations = 0;
        long frees = 0;
        long started = 0;
        long failed = 0;
        for (Lane lane : lanes) { // the last thread of each lane counted down done after its last write
            allocations += lane.allocations;
            frees += lane.frees;
            started += lane.generations;
            failed += lane.failed;
        }
        Together.cleanUpThenRethrow(failure.get(), () -> emptyAll(lanes));
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("allocations", allocations);
        counts.put("frees", frees);
        counts.put("threads", started);
        counts.put("failedAllocations", failed);
        return new Outcome(allocations + frees, nanos, allocations, frees, counts);
    }

    /**
     * One lane: its array and generator, run by one thread after another. Plain fields: each thread starts its
     * successor after its last write (Thread.start orders them), and the last one counts down {@code done}.
     */
    private static final class Lane implements Runnable {
        final Allocator allocator;
        final long[] blocks;
        final long min;
        final int span;
        final int rounds;
        final int generationLimit;
        final AtomicBoolean stop;
        final CountDownLatch done;
        final AtomicReference<Throwable> failure;
        final int number;
        int state;
        long allocations;
        long frees;
        long failed;
        int generations;

        Lane(Larson w, Allocator allocator, int number, AtomicBoolean stop, CountDownLatch done,
             AtomicReference<Throwable> failure, int generationLimit) {
            this.allocator = allocator;
            this.blocks = new long[w.blocksPerThread];
            this.min = w.min;
            this.span = (int) (w.max - w.min + 1);
            this.rounds = w.rounds;
            this.generationLimit = generationLimit;
            this.stop = stop;
            this.done = done;
            this.failure = failure;
            this.number = number;
            this.state = SEED + number * SEED_STEP;
        }

        /** The untimed first fill, by the calling thread. */
        void fill() {
            int x = state;
            for (int i = 0; i < blocks.length; i++) {
                x = x * 1664525 + 1013904223;
                long size = min + Integer.remainderUnsigned(x, span);
                long p = allocator.allocate(size);
                Memory.putByte(p, (byte) x);
                Memory.putByte(p + size - 1, (byte) (x >>> 8));
                blocks[i] = p;
            }
            state = x;
        }

        /** The untimed clean-up, by the calling thread once the lane has stopped. */
        void empty() {
            for (int i = 0; i < blocks.length; i++) {
                if (blocks[i] != 0) {
                    allocator.free(blocks[i]);
                    blocks[i] = 0;
                }
            }
        }

        /** One generation: churn, then hand the lane to a new thread, or count down {@code done} when it ends. */
        @Override
        public void run() {
            boolean handedOn = false;
            try {
                generations++;
                if (churn() && generations < generationLimit && !stop.getOpaque()) {
                    Thread.ofPlatform().name(NAME + "-" + number + "-" + (generations + 1)).start(this);
                    handedOn = true;
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
                stop.setRelease(true);
            } finally {
                if (!handedOn) {
                    done.countDown();
                }
            }
        }

        /** ROUNDS x BLOCKS iterations; false when told to stop before the end. */
        private boolean churn() {
            long[] b = blocks;
            int n = b.length;
            int x = state;
            long allocs = allocations;
            long fr = frees;
            boolean stopped = false;
            long total = (long) rounds * n;
            for (long i = total; i > 0; i--) {
                if (i != total && stop.getOpaque()) { // one iteration at least: a late thread still counts
                    stopped = true;
                    break;
                }
                x = x * 1664525 + 1013904223;
                int victim = Integer.remainderUnsigned(x, n);
                long p = b[victim];
                if (p != 0) {
                    allocator.free(p);
                    b[victim] = 0;
                    fr++;
                }
                x = x * 1664525 + 1013904223;
                long size = min + Integer.remainderUnsigned(x, span);
                try {
                    p = allocator.allocate(size);
                } catch (OutOfNativeMemoryError e) {
                    failed++;
                    continue;
                }
                Memory.putByte(p, (byte) x);
                Memory.putByte(p + size - 1, (byte) (x >>> 8));
                b[victim] = p;
                allocs++;
            }
            state = x;
            allocations = allocs;
            frees = fr;
            return !stopped;
        }
    }
}
