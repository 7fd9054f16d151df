package dev.slabworks.harness.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * The host's price for moving a cache line between two CPUs: the round trip of one line between this thread and a
 * partner thread, each waiting for the other's store. On the 2-vCPU virtual machine this project is measured on it
 * reads about 65 ns for minutes, then about 330 ns for minutes (most likely the hypervisor placing the two vCPUs
 * nearer or farther apart; load on the machine raises it too), and workloads whose threads pass blocks or lines
 * between them move with it: so the bench records it beside every repetition (knob {@code bench.cpu.probe}) to tell
 * a slow host from a slow allocator (DESIGN §19, "Slow periods").
 *
 * <pre>
 *   cells: [ 8 longs of padding | the line's counter | 8 longs of padding ]   the counter alone on its line
 *   this thread: store 2k+1, wait for 2k+2     partner: wait for 2k+1, store 2k+2     -1: the partner stops
 * </pre>
 * A few milliseconds per call on an idle machine (4 bursts of 5,000 round trips after 2,000 to warm up), untimed by
 * the caller. Never hangs: a partner silent for {@link #GIVE_UP_NANOS}, or a measurement past {@link #BUDGET_NANOS}
 * in all (a partner that answers only once per scheduler slice, as on a loaded machine), makes the answer NaN, and
 * the partner stops at the {@code -1} left for it however the call ended. The first call in a JVM also warms up,
 * so it can take three budgets.
 */
public final class CrossCpuProbe {
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int AT = 8;
    private static final long STOP = -1;
    private static final long GAVE_UP = -1;
    static final int WARM_UP = 2_000;
    static final int BURST = 5_000;
    static final int BURSTS = 4;
    /** One wait for the partner longer than this: the answer is NaN (the partner is not running). */
    static final long GIVE_UP_NANOS = 20_000_000L;
    /**
     * A measurement longer than this in all: the answer is NaN (the partner runs only now and then). Fourteen times
     * what one takes at 330 ns a round trip: past it the other CPU is busy, and the probe would only slow the bench.
     */
    static final long BUDGET_NANOS = 100_000_000L;
    /** Set after {@link #warmUp}'s two dropped measurements. */
    private static volatile boolean warm;

    private CrossCpuProbe() {
    }

    /**
     * Nanoseconds per round trip (the fastest of {@link #BURSTS} bursts, so that a preemption inside one does not
     * count), or NaN with fewer than two CPUs, when the partner stopped answering or could not start, or when the
     * call ran out of its budget. Warms up first ({@link #warmUp}) if nothing did.
     */
    public static double roundTripNanos() {
        warmUp();
        return measure(CrossCpuProbe::answer);
    }

    /**
     * The first time in a JVM, measures twice and drops both, so that the JIT compiles the loops now rather than beside
     * the caller's next measured work: interpreted, they read up to ten times the compiled figure. Then a no-op.
     */
    public static void warmUp() {
        if (!warm) {
            measure(CrossCpuProbe::answer);
            measure(CrossCpuProbe::answer);
            warm = true;
        }
    }

    /** One measurement against {@code partner}, which runs on its own thread (tests pass one that does not answer). */
    static double measure(Consumer<long[]> partner) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return Double.NaN;
        }
        long[] cells = new long[2 * AT + 1];
        Thread other;
        try {
            other = Thread.ofPlatform().daemon().name("slabworks-cpu-probe").start(() -> partner.accept(cells));
        } catch (OutOfMemoryError e) { // no native thread to be had: no figure, and the bench goes on
            return Double.NaN;
        }
        try {
            long deadline = System.nanoTime() + BUDGET_NANOS;
            long v = trips(cells, 0, WARM_UP, deadline);
            double best = Double.POSITIVE_INFINITY;
            for (int b = 0; b < BURSTS && v != GAVE_UP; b++) {
                long start = System.nanoTime();
                v = trips(cells, v, BURST, deadline);
                best = Math.min(best, (System.nanoTime() - start) / (double) BURST);
            }
            return v == GAVE_UP ? Double.NaN : best;
        } finally {
            CELL.setVolatile(cells, AT, STOP);
            try {
                other.join(GIVE_UP_NANOS / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@code n} round trips from counter value {@code from}: the value reached, or {@link #GAVE_UP} when the partner
     * was silent for {@link #GIVE_UP_NANOS} or the clock passed {@code deadline}.
     */
    private static long trips(long[] cells, long from, int n, long deadline) {
        long v = from;
        for (int i = 0; i < n; i++) {
            CELL.setRelease(cells, AT, v + 1);
            long silentUntil = 0;
            for (int spins = 1; (long) CELL.getAcquire(cells, AT) != v + 2; spins++) {
                Thread.onSpinWait();
                if ((spins & 1023) == 0) { // the clock only now and then: a read costs about a round trip
                    long now = System.nanoTime();
                    if (silentUntil == 0) {
                        silentUntil = now + GIVE_UP_NANOS;
                    }
                    if (now - silentUntil > 0 || now - deadline > 0) {
                        return GAVE_UP;
                    }
                }
            }
            if ((i & 1023) == 0 && System.nanoTime() - deadline > 0) { // answers that each come late but in time
                return GAVE_UP;
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
