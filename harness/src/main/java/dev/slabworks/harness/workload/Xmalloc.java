package dev.slabworks.harness.workload;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.OutOfNativeMemoryError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code xmalloc THREADS ITERS MIN MAX}: the producer/consumer pattern of xmalloc-test (Lever and Boreham,
 * in mimalloc-bench's multi-thread set): threads that only allocate, threads that only free, every block
 * freed by a thread that did not allocate it. THREADS pairs of threads; in pair {@code i}:
 * <ul>
 *   <li>the producer draws from a 32-bit LCG {@code s = s * 1664525 + 1013904223} seeded
 *       {@code 0x12345678 + i * 977}, allocates ITERS blocks of {@code MIN + r mod (MAX - MIN + 1)} bytes
 *       (first byte written) in batches of {@link #BATCH}, and hands each full batch to its consumer;</li>
 *   <li>the consumer frees every block of each batch it receives and gives the emptied batch back.</li>
 * </ul>
 * The hand-off: {@link #BATCHES} batch buffers per pair (a {@code long[]} of addresses each, made before the
 * clock starts) cycle between two lock-free rings of batch numbers, full ones to the consumer and empty ones
 * back, so a side waits (spins briefly, then yields) only when the other is {@link #BATCHES} batches behind
 * or ahead; nothing is allocated on the Java heap per block or per batch. ops = allocations + frees; the
 * window runs from the release of all 2 x THREADS threads to the end of the last (every block freed). A
 * failed allocation leaves its place in the batch empty and is counted. The counts give the allocations,
 * frees and how often a producer or consumer had to wait ({@code producerWaits}, {@code consumerWaits}).
 * The original is time-bounded with fixed 64-byte blocks by default (mimalloc-bench: {@code -w N -t 5 -s 64});
 * here ITERS bounds the work, so every repetition does the same.
 */
public record Xmalloc(int threads, long iterations, long min, long max) implements Workload {
    public static final String NAME = "xmalloc";
    /** Blocks per batch. */
    static final int BATCH = 64;
    /** Batch buffers per pair: how far a producer can run ahead of its consumer. */
    static final int BATCHES = 16;
    static final int SEED = 0x12345678;
    static final int SEED_STEP = 977;
    /** Busy-wait turns before a waiting side yields its CPU (on 2 shared cores a partner may not be running). */
    static final int SPINS = 128;

    public Xmalloc {
        Arguments.between(NAME, "THREADS", threads, 1, 512);
        Arguments.atLeast(NAME, "ITERS", iterations, 0);
        Arguments.sizes(NAME, min, max);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> args() {
        return List.of(Integer.toString(threads), Long.toString(iterations), Long.toString(min), Long.toString(max));
    }

    @Override
    public Outcome run(Allocator allocator) {
        return run(allocator, () -> { });
    }

    @Override
    public Outcome run(Allocator allocator, Runnable loopEnd) {
        Pair[] pairs = new Pair[threads];
        Runnable[] tasks = new Runnable[2 * threads];
        for (int i = 0; i < threads; i++) {
            Pair pair = new Pair(this, allocator, SEED + i * SEED_STEP);
            pairs[i] = pair;
            tasks[2 * i] = () -> pair.abortOnFailure(pair::produce);
            tasks[2 * i + 1] = () -> pair.abortOnFailure(pair::consume);
        }
        Together.Window window = Together.run(NAME, tasks);
        loopEnd.run();
        long allocations = 0;
        long frees = 0;
        long failed = 0;
        long producerWaits = 0;
        long consumerWaits = 0;
        for (Pair pair : pairs) {
            allocations += pair.allocations;
            frees += pair.frees;
            failed += pair.failed;
            producerWaits += pair.producerWaits;
            consumerWaits += pair.consumerWaits;
        }
        Together.cleanUpThenRethrow(window.failure(), () -> { // leftovers only after a failure: else all were freed
            for (Pair pair : pairs) {
                pair.freeLeftovers();
            }
        });
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("allocations", allocations);
        counts.put("frees", frees);
        counts.put("failedAllocations", failed);
        counts.put("producerWaits", producerWaits);
        counts.put("consumerWaits", consumerWaits);
        return new Outcome(allocations + frees, window.nanos(), allocations, frees, counts);
    }

    static void backOff(int spins) {
        if (spins < SPINS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /**
     * A producer, its consumer and their batches. Batch {@code k} (1-based, 0 means "none" to the rings) is
     * {@code batches[(k - 1) * BATCH, k * BATCH)}; a ring's release/acquire orders a batch's contents before
     * its number. Counts are plain fields, each written by one side and read after join.
     */
    private static final class Pair {
        final Allocator allocator;
        final long[] batches = new long[BATCHES * BATCH];
        final HandOffRing full = new HandOffRing(BATCHES);
        final HandOffRing empty = new HandOffRing(BATCHES);
        final long iterations;
        final long min;
        final int span;
        final int seed;
        long allocations;
        long failed;
        long producerWaits;
        long frees;
        long consumerWaits;
        /** Set when one side failed, so the other stops waiting for it. */
        volatile boolean aborted;

        Pair(Xmalloc w, Allocator allocator, int seed) {
            this.allocator = allocator;
            this.iterations = w.iterations;
            this.min = w.min;
            this.span = (int) (w.max - w.min + 1);
            this.seed = seed;
            for (int k = 1; k <= BATCHES; k++) {
                handOver(empty, k);
            }
        }

        void abortOnFailure(Runnable side) {
            try {
                side.run();
            } catch (RuntimeException | Error e) {
                aborted = true;
                throw e;
            }
        }

        void produce() {
            long[] b = batches;
            int x = seed;
            long allocs = 0;
            long fails = 0;
            long[] waits = {0};
            for (long left = iterations; left > 0; left -= BATCH) {
                long k = take(empty, waits);
                if (k == 0) {
                    return;
                }
                int base = (int) (k - 1) * BATCH;
                int count = (int) Math.min(left, BATCH);
                for (int j = 0; j < BATCH; j++) {
                    long p = 0;
                    if (j < count) {
                        x = x * 1664525 + 1013904223;
                        long size = min + Integer.remainderUnsigned(x, span);
                        try {
                            p = allocator.allocate(size);
                            Memory.putByte(p, (byte) x);
                            allocs++;
                        } catch (OutOfNativeMemoryError e) {
                            p = 0;
                            fails++;
                        }
                    }
                    b[base + j] = p;
                }
                handOver(full, k); // never full: it holds every batch there is
            }
            allocations = allocs;
            failed = fails;
            producerWaits = waits[0];
        }

        void consume() {
            long[] b = batches;
            long fr = 0;
            long[] waits = {0};
            for (long batch = (iterations + BATCH - 1) / BATCH; batch > 0; batch--) {
                long k = take(full, waits);
                if (k == 0) {
                    return;
                }
                int base = (int) (k - 1) * BATCH;
                for (int j = 0; j < BATCH; j++) {
                    long p = b[base + j];
                    if (p != 0) {
                        allocator.free(p);
                        b[base + j] = 0;
                        fr++;
                    }
                }
                handOver(empty, k); // never full: it holds every batch there is
            }
            frees = fr;
            consumerWaits = waits[0];
        }

        /** Passes batch {@code k} on through {@code ring}, which has a slot for every batch. */
        private static void handOver(HandOffRing ring, long k) {
            if (!ring.offer(k)) {
                throw new IllegalStateException("xmalloc: a ring with a slot for every batch was full at batch " + k);
            }
        }

        /** The next batch number from {@code ring}, waited for (turns added to {@code waits[0]}); 0 once the other side failed. */
        private long take(HandOffRing ring, long[] waits) {
            long k;
            for (int spins = 0; (k = ring.poll()) == 0; spins++) {
                if (aborted) {
                    return 0;
                }
                backOff(spins);
                waits[0]++;
            }
            return k;
        }

        /** Frees what a failed run left in the batches (after both threads ended). */
        void freeLeftovers() {
            for (int i = 0; i < batches.length; i++) {
                if (batches[i] != 0) {
                    allocator.free(batches[i]);
                    batches[i] = 0;
                }
            }
        }
    }
}
