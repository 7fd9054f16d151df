package dev.slabworks.api.purge;

/**
 * How long a free slab or page waits before its pages are purged ({@code madvise}), lengthened while purges
 * turn out premature. A purge is premature when the pool takes the purged memory back into use within the
 * current delay of purging it: the {@code madvise} bought nothing, and the next touch of each page is a
 * fault. A premature purge doubles the delay, up to {@code purge.delay.max.ms}, at most once per delay (a burst
 * of pages taken back together is one event); a delay above the base halves again once it has not doubled for
 * {@link #RELAX_AFTER} times the delay. So a workload that
 * frees and soon retakes memory (remote frees collected in bursts, a thread that comes back) stops paying a
 * purge and a refault per slab, and one that frees for good keeps the base delay and its memory bound.
 *
 * <p>Not thread-safe: a pool calls it under its own lock.
 */
public final class PurgeDelay {
    /** Quiet periods, in current delays, before a lengthened delay halves. */
    public static final int RELAX_AFTER = 16;
    /** The longest delay, an hour (the knobs' bound): doubling it, and sixteen times it, stay far from overflow. */
    public static final long MAX_MS = 3_600_000;
    /** {@link #takenBack}'s {@code purgedAt} for memory never purged (a fresh mapping, untouched): never premature. */
    public static final long NEVER = Long.MIN_VALUE;

    private final long baseNanos;
    private final long maxNanos;
    private long nanos;
    /** When the delay last doubled (or, after a halving, when it halved); meaningful once {@link #seenPremature}. */
    private long lastPremature;
    private boolean seenPremature;

    /**
     * {@code baseMs} is {@code purge.delay.ms} (0: at once, -1: never, and then neither adapts);
     * {@code maxMs} is {@code purge.delay.max.ms} (at or below the base: a fixed delay). Both at most {@link #MAX_MS}.
     */
    public PurgeDelay(long baseMs, long maxMs) {
        if (baseMs < -1 || baseMs > MAX_MS || maxMs < -1 || maxMs > MAX_MS) {
            throw new IllegalArgumentException("purge delays must lie in [-1, " + MAX_MS + "] ms, not " + baseMs
                    + " (base) and " + maxMs + " (max)");
        }
        this.baseNanos = baseMs < 0 ? -1 : baseMs * 1_000_000L;
        this.maxNanos = Math.max(baseNanos, maxMs * 1_000_000L);
        this.nanos = baseNanos;
    }

    /** The delay now, in nanoseconds; -1 for never. */
    public long nanos() {
        return nanos;
    }

    /** Whether free memory is never purged. */
    public boolean never() {
        return nanos < 0;
    }

    /** Whether {@code freeSince} (a {@code System.nanoTime()}) is far enough back for a purge at {@code now}. */
    public boolean due(long freeSince, long now) {
        return nanos >= 0 && now - freeSince >= nanos;
    }

    /**
     * The pool takes memory back into use at {@code now} that it purged at {@code purgedAt} ({@link #NEVER} if it
     * never did): a purge less than a delay ago was premature, and the delay doubles. Returns whether it was.
     */
    public boolean takenBack(long purgedAt, long now) {
        if (purgedAt == NEVER || nanos <= 0 || now - purgedAt >= nanos) {
            return false;
        }
        if (!seenPremature || now - lastPremature >= nanos) { // one burst of take-backs doubles it once
            nanos = Math.min(maxNanos, nanos << 1);
            lastPremature = now;
            seenPremature = true;
        }
        return true;
    }

    /** On a purge pass at {@code now}: a lengthened delay halves after {@link #RELAX_AFTER} delays without a premature purge. */
    public void relax(long now) {
        if (nanos > baseNanos && now - lastPremature >= RELAX_AFTER * nanos) {
            nanos = Math.max(baseNanos, nanos >> 1);
            lastPremature = now; // the next halving waits a whole quiet period at the new delay
        }
    }
}
