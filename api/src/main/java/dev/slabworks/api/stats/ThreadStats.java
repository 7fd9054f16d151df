package dev.slabworks.api.stats;

/**
 * One thread's counters for one allocator. Written only by its owning thread with plain stores;
 * {@link Stats#snapshot()} reads them racily, so a snapshot taken while threads run is a close
 * approximation and one taken after they quiesce is exact. (HotSpot on 64-bit never tears a long.)
 */
public final class ThreadStats {
    /** Live-byte changes are published to the shared gauge in steps of this, bounding its error per thread. */
    static final long LIVE_PUBLISH_STEP = 64 << 10;

    private static final int ALLOCATIONS = Stat.ALLOCATIONS.ordinal();
    private static final int FREES = Stat.FREES.ordinal();
    private static final int BYTES_ALLOCATED = Stat.BYTES_ALLOCATED.ordinal();
    private static final int BYTES_FREED = Stat.BYTES_FREED.ordinal();
    private static final int FRONT_HITS = Stat.FRONT_HITS.ordinal();

    /** Every THREAD stat's slot; the fast-path stats are bumped in the fields below instead (see {@link #value}). */
    final long[] counters = new long[Stat.THREAD_SLOTS];
    // Fast-path counters as fields: a bump is one read-modify-write, with no array load and no bounds check.
    private long allocations;
    private long frees;
    private long bytesAllocated;
    private long bytesFreed;
    private long frontHits;
    /** Allocations that were front-cache hits: each counts in ALLOCATIONS and FRONT_HITS (one store for both). */
    private long frontHitAllocations;
    private final Stats owner;
    /**
     * {@code bytesAllocated - bytesFreed} when last added to the shared gauge: the unpublished change is
     * derived from the two byte counters, so a fast-path bump stores two fields, not three.
     */
    private long publishedLive;

    ThreadStats(Stats owner) {
        this.owner = owner;
    }

    /** One block of {@code bytes} handed out. */
    public void allocated(long bytes) {
        if (Stats.ENABLED) {
            allocations++;
            countAllocatedBytes(bytes);
        }
    }

    /**
     * {@link #allocated} of a block that came from a front-cache hit, counting the hit too (instead of
     * {@link #frontHit}): one counter stands for both, so the bump stores two fields, not three.
     */
    public void allocatedFrontHit(long bytes) {
        if (Stats.ENABLED) {
            frontHitAllocations++;
            countAllocatedBytes(bytes);
        }
    }

    private void countAllocatedBytes(long bytes) {
        long a = bytesAllocated += bytes;
        if (a - bytesFreed - publishedLive >= LIVE_PUBLISH_STEP) {
            publishLive();
        }
    }

    /** One block of {@code bytes} taken back. */
    public void freed(long bytes) {
        if (Stats.ENABLED) {
            frees++;
            long f = bytesFreed += bytes;
            if (bytesAllocated - f - publishedLive <= -LIVE_PUBLISH_STEP) {
                publishLive();
            }
        }
    }

    /** A front-cache hit: the hottest counter, kept in a field of its own. */
    public void frontHit() {
        if (Stats.ENABLED) {
            frontHits++;
        }
    }

    public void increment(Stat stat) {
        if (Stats.ENABLED) {
            counters[stat.ordinal()]++;
        }
    }

    public void add(Stat stat, long delta) {
        if (Stats.ENABLED) {
            counters[stat.ordinal()] += delta;
        }
    }

    /** This thread's own value of a THREAD stat (exact for the calling thread). */
    public long get(Stat stat) {
        return value(stat.ordinal());
    }

    /** The counter of THREAD slot {@code i}: its array slot plus, for a fast-path stat, its field. */
    long value(int i) {
        long v = counters[i];
        if (i == ALLOCATIONS) {
            v += allocations + frontHitAllocations;
        } else if (i == FREES) {
            v += frees;
        } else if (i == BYTES_ALLOCATED) {
            v += bytesAllocated;
        } else if (i == BYTES_FREED) {
            v += bytesFreed;
        } else if (i == FRONT_HITS) {
            v += frontHits + frontHitAllocations;
        }
        return v;
    }

    private void publishLive() {
        long live = bytesAllocated - bytesFreed;
        owner.gaugeAdd(Stat.LIVE_BYTES_PUBLISHED, live - publishedLive);
        publishedLive = live;
    }
}
