package dev.slabworks.harness.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The host's price for moving a cache line between two CPUs: the round trip of one line between this thread and a
 * partner thread, each waiting for the other's store. On the 2-vCPU virtual machine this project is measured on it
 * reads ~66 ns for minutes, then ~335 ns for minutes (the hypervisor places the two vCPUs nearer or farther apart),
 * and every workload whose threads pass blocks or lines between them moves with it, an allocator with more lines in
 * flight per operation more than one with fewer: so the bench records it beside every repetition
 * (knob {@code bench.cpu.probe}) to tell a slow host from a slow allocator (DESIGN §19, "Slow periods").
 *
 * <pre>
 *   cells: [ 7 longs of padding | the line's counter | 7 longs of padding ]   the counter alone on its line
 *   this thread: store 2k+1, wait for 2k+2       partner: wait for 2k+1, store 2k+2       -1: the partner stops
 * </pre>
 * A few milliseconds per call (4 bursts of 5,000 round trips after 2,000 to warm up), untimed by the caller. Never hangs: a
 * partner that does not answer within {@link #GIVE_UP_NANOS} (not scheduled, one CPU) makes the answer NaN, and the
 * partner stops at the {@code -1} left for it however the call ended.
 */
public final class CrossCpuProbe {
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int AT = 8;
    private static final long STOP = -1;
    static final int WARM_UP = 2_000;
    static final int BURST = 5_000;
    static final int BURSTS = 4;
    /** Set after the first call's two dropped measurements. */
    private static volatile boolean warm;
    /** One wait for the partner longer than this: the answer is NaN (the partner is not running). */
    static final long GIVE_UP_NANOS = 50_000_000L;

    private CrossCpuProbe() {
    }

    /**
     * Nanoseconds per round trip (the fastest of {@link #BURSTS} bursts, so that a preemption inside one does not
     * count), or NaN with fewer than two CPUs or when the partner stopped answering. The first call in a JVM measures
     * twice more and drops those: interpreted, the loops read up to ten times the compiled figure.
     */
    public static double roundTripNanos() {
        if (!warm) {
            measure();
            measure();
            warm = true;
        }
        return measure();
    }

    private static double measure() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return Double.NaN;
        }
        long[] cells = new long[2 * AT + 1];
        Thread partner = Thread.ofPlatform().daemon().name("slabworks-cpu-probe").start(() -> answer(cells));
        try {
            long v = trips(cells, 0, WARM_UP);
            double best = Double.POSITIVE_INFINITY;
            for (int b = 0; b < BURSTS && v >= 0; b++) {
                long start = System.nanoTime();
                v = trips(cells, v, BURST);
                best = Math.min(best, (System.nanoTime() - start) / (double) BURST);
            }
            return v < 0 ? Double.NaN : best;
        } finally {
            CELL.setVolatile(cells, AT, STOP);
            try {
                partner.join(GIVE_UP_NANOS / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code n} round trips from counter value {@code from}; the value reached, or -1 when the partner stopped answering. */
    private static long trips(long[] cells, long from, int n) {
        long v = from;
        for (int i = 0; i < n; i++) {
            CELL.setRelease(cells, AT, v + 1);
            long deadline = 0;
            for (int spins = 1; (long) CELL.getAcquire(cells, AT) != v + 2; spins++) {
                Thread.onSpinWait();
                if ((spins & 1023) == 0) { // the clock only now and then: a read costs about a round trip
                    long now = System.nanoTime();
                    if (deadline == 0) {
                        deadline = now + GIVE_UP_NANOS;
                    } else if (now - deadline > 0) {
                        return -1;
                    }
                }
            }
            v += 2;
        }
        return v;
    }

    /**
     * The partner: answers every odd value with the next even one until it reads {@link #STOP}; a CAS, so that a
     * STOP stored between its read and its answer is not overwritten (it would wait for an answer forever).
     */
    private static void answer(long[] cells) {
        long expect = 1;
        while (true) {
            long v;
            while ((v = (long) CELL.getAcquire(cells, AT)) != expect) {
                if (v == STOP) {
                    return;
                }
                Thread.onSpinWait();
            }
            if (!CELL.compareAndSet(cells, AT, expect, expect + 1)) {
                return; // STOP came between the read and the answer
            }
            expect += 2;
        }
    }
}
