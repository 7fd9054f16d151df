package dev.slabworks.api.front;

/**
 * Front caches of reclaimed heaps, kept for the next new heaps of the same allocator. Under thread churn (larson: a
 * thousand new threads a second) each new heap would otherwise allocate and zero its cache's arrays, 82 KB with the
 * default {@code fc.cap}, which showed as 1-4 % of larson's JFR samples. A drained cache holds no block
 * ({@link FrontCache#drain}), so it is as good as a new one. Slow paths only (a heap made or
 * reclaimed): one lock.
 */
public final class FrontCacheSpares {
    /** A few cover thread churn, where one thread replaces another. */
    public static final int DEFAULT_CAPACITY = 4;

    private final FrontCache[] spares;
    private int count;

    /** Keeps at most {@link #DEFAULT_CAPACITY} caches. */
    public FrontCacheSpares() {
        this(DEFAULT_CAPACITY);
    }

    /** Keeps at most {@code capacity} caches (0: none, every heap makes its own). */
    public FrontCacheSpares(int capacity) {
        this.spares = new FrontCache[capacity];
    }

    /** A spare cache, or null when there is none (the caller makes one). */
    public synchronized FrontCache take() {
        if (count == 0) {
            return null;
        }
        FrontCache c = spares[--count];
        spares[count] = null;
        return c;
    }

    /**
     * Keeps {@code drained}, a reclaimed heap's cache that nobody will use again, if there is room and it holds nothing
     * (a check, not a step: the reclaimer drained it).
     */
    public synchronized void give(FrontCache drained) {
        if (count < spares.length && drained.isEmpty()) {
            spares[count++] = drained;
        }
    }

    /** Caches kept now (tests). */
    public synchronized int size() {
        return count;
    }
}
