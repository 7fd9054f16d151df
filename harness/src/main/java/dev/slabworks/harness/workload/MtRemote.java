package dev.slabworks.harness.workload;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.os.OutOfNativeMemoryError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mt-remote THREADS ITERS WS MIN MAX REMOTE_PCT [RING_SLOTS]}: the allocator team's multi-thread
 * remote-free benchmark (their {@code bench_random_mixed_mt_remote} compare port), op for op. Thread
 * {@code i} has WS slots, a 32-bit LCG {@code s = s * 1664525 + 1013904223} seeded {@code 0x12345678 + i * 977},
 * and an outgoing single-producer single-consumer ring of RING_SLOTS (a power of two, default 65536) read
 * by thread {@code (i + 1) mod THREADS}. Each of its ITERS iterations:
 * <ol>
 *   <li>frees every block waiting in its incoming ring (each free one op);</li>
 *   <li>draws {@code r1} (slot = {@code r1 mod WS}) and {@code r2} (size = {@code MIN + r2 mod (MAX - MIN + 1)}),
 *       both unsigned, whatever the slot holds;</li>
 *   <li>a full slot is emptied: with more than one thread it draws {@code r3} and, when
 *       {@code r3 mod 100 < REMOTE_PCT}, pushes the block to its outgoing ring (a full ring means a local
 *       free instead, a fallback); otherwise it frees the block locally. One op;</li>
 *   <li>an empty slot gets {@code allocate(size)} (nothing is written to it). One op; a failed allocation
 *       leaves the slot empty and is counted, not an op.</li>
 * </ol>
 * After its loop a thread frees what waits in its incoming ring once more (ops too). ops = allocations +
 * local frees + fallbacks + remote sends + frees of received blocks, in the window from the start of all
 * threads to the end of the last; blocks still in slots or rings then are freed untimed. Beside ops/s the
 * counts give the actual remote share ({@code remoteSharePct} = sends / every emptied slot) and the
 * fallbacks ({@code fallbackPct} = fallbacks / remote decisions), and {@code longestDrain}, the most received blocks
 * one thread freed without going back to its loop (more than RING_SLOTS when the sender refilled the ring meanwhile).
 *
 * <p>How to read them: a thread that frees its received blocks more slowly than the other sends them (a costly
 * remote free, a page fault, a descheduled moment) does not catch up. It stays in one drain (a {@code longestDrain}
 * of hundreds of thousands) while the sender runs alone, fills the ring and falls back to local frees, and the run
 * ends with a high {@code fallbackPct}: fewer cross-thread frees than asked for, the cheaper local ones counted
 * instead. ops/s compare like for like only between runs whose {@code fallbackPct} are alike (docs/DESIGN.md,
 * "mt-remote on two cores").
 */
public record MtRemote(int threads, long iterations, int workingSet, long min, long max, int remotePercent,
                       int ringSlots) implements Workload {
    public static final String NAME = "mt-remote";
    public static final int DEFAULT_RING_SLOTS = 65536;
    static final int SEED = 0x12345678;
    static final int SEED_STEP = 977;

    public MtRemote {
        Arguments.between(NAME, "THREADS", threads, 1, 1024);
        Arguments.atLeast(NAME, "ITERS", iterations, 0);
        Arguments.atLeast(NAME, "WS", workingSet, 1);
        Arguments.sizes(NAME, min, max);
        Arguments.between(NAME, "REMOTE_PCT", remotePercent, 0, 100);
        if (ringSlots < 1 || ringSlots > (1 << 24) || Integer.bitCount(ringSlots) != 1) {
            throw new IllegalArgumentException(NAME + ": RING_SLOTS must be a power of two from 1 to " + (1 << 24)
                    + ", not " + ringSlots);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> args() {
        return List.of(Integer.toString(threads), Long.toString(iterations), Integer.toString(workingSet),
                Long.toString(min), Long.toString(max), Integer.toString(remotePercent), Integer.toString(ringSlots));
    }

    @Override
    public Outcome run(Allocator allocator) {
        return run(allocator, () -> { });
    }

    @Override
    public Outcome run(Allocator allocator, Runnable loopEnd) {
        HandOffRing[] rings = new HandOffRing[threads];
        for (int i = 0; i < threads; i++) {
            rings[i] = new HandOffRing(ringSlots);
        }
        Worker[] workers = new Worker[threads];
        Runnable[] tasks = new Runnable[threads];
        for (int i = 0; i < threads; i++) {
            // thread i sends into rings[i] and receives from rings[i - 1]
            Worker w = new Worker(this, allocator, rings[(i + threads - 1) % threads], rings[i], SEED + i * SEED_STEP);
            workers[i] = w;
            tasks[i] = () -> w.loop(iterations);
        }
        Together.Window window = Together.run(NAME, tasks);
        loopEnd.run();
        long[] sum = new long[Worker.COUNTS];
        for (int i = 0; i < threads; i++) {
            workers[i].addTo(sum);
        }
        Together.cleanUpThenRethrow(window.failure(), () -> {
            for (int i = 0; i < threads; i++) {
                HandOffRing.freeLeft(rings[i], workers[i].slots, allocator::free);
            }
        });
        long allocations = sum[0];
        long local = sum[1];
        long sends = sum[2];
        long fallbacks = sum[3];
        long received = sum[4];
        long emptied = sends + local + fallbacks;
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("allocations", allocations);
        counts.put("localFrees", local);
        counts.put("remoteSends", sends);
        counts.put("remoteFallbacks", fallbacks);
        counts.put("receivedFrees", received);
        counts.put("failedAllocations", sum[5]);
        counts.put("longestDrain", sum[6]);
        counts.put("remoteSharePct", emptied == 0 ? 0.0 : 100.0 * sends / emptied);
        counts.put("fallbackPct", sends + fallbacks == 0 ? 0.0 : 100.0 * fallbacks / (sends + fallbacks));
        return new Outcome(allocations + emptied + received, window.nanos(), allocations, local + fallbacks + received,
                counts);
    }

    /** One thread's state and counts: plain fields, read by the main thread only after join. */
    private static final class Worker {
        /** How many counts {@link #addTo} adds. */
        static final int COUNTS = 7;
        final Allocator allocator;
        final HandOffRing inbox;
        final HandOffRing outbox;
        final long[] slots;
        final boolean remote;
        final int remotePercent;
        final long min;
        final int span;
        int state;
        long allocations;
        long localFrees;
        long sends;
        long fallbacks;
        long received;
        long failed;
        long longestDrain;

        Worker(MtRemote w, Allocator allocator, HandOffRing inbox, HandOffRing outbox, int seed) {
            this.allocator = allocator;
            this.inbox = inbox;
            this.outbox = outbox;
            this.slots = new long[w.workingSet];
            this.remote = w.threads > 1;
            this.remotePercent = w.remotePercent;
            this.min = w.min;
            this.span = (int) (w.max - w.min + 1);
            this.state = seed;
        }

        /**
         * Adds allocations, local frees, sends, fallbacks, received frees and failed allocations to {@code sum}, and
         * keeps the longest drain of all.
         */
        void addTo(long[] sum) {
            sum[0] += allocations;
            sum[1] += localFrees;
            sum[2] += sends;
            sum[3] += fallbacks;
            sum[4] += received;
            sum[5] += failed;
            sum[6] = Math.max(sum[6], longestDrain);
        }

        void loop(long iterations) {
            long[] s = slots;
            int ws = s.length;
            int x = state;
            long allocs = 0;
            long local = 0;
            long sent = 0;
            long fallback = 0;
            long failures = 0;
            for (long i = 0; i < iterations; i++) {
                drainInbox();
                x = x * 1664525 + 1013904223;
                int slot = Integer.remainderUnsigned(x, ws);
                x = x * 1664525 + 1013904223;
                long size = min + Integer.remainderUnsigned(x, span);
                long p = s[slot];
                if (p != 0) {
                    if (remote && Integer.remainderUnsigned(x = x * 1664525 + 1013904223, 100) < remotePercent) {
                        if (outbox.offer(p)) {
                            sent++;
                        } else {
                            allocator.free(p);
                            fallback++;
                        }
                    } else {
                        allocator.free(p);
                        local++;
                    }
                    s[slot] = 0;
                } else {
                    try {
                        s[slot] = allocator.allocate(size);
                        allocs++;
                    } catch (OutOfNativeMemoryError e) {
                        failures++;
                    }
                }
            }
            drainInbox();
            state = x;
            allocations = allocs;
            localFrees = local;
            sends = sent;
            fallbacks = fallback;
            failed = failures;
        }

        private void drainInbox() {
            long q;
            long n = 0;
            while ((q = inbox.poll()) != 0) {
                allocator.free(q);
                n++;
            }
            received += n;
            if (n > longestDrain) {
                longestDrain = n;
            }
        }
    }
}
