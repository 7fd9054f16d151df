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

    /** The counters bumped on no fast path; the fast-path ones are fields below. */
    final long[] counters = new long[Stat.THREAD_SLOTS];
    // Fast-path counters as fields: a bump is one read-modify-write, with no array load and no bounds check.
    private long allocations;
    private long frees;
    private long bytesAllocated;
    private long bytesFreed;
    private long frontHits;
    private final Stats owner;
    /** This thread's live bytes (bytesAllocated - bytesFreed) when last published to the shared gauge. */
    private long publishedLive;

    ThreadStats(Stats owner) {
        this.owner = owner;
    }

    /** One block of {@code bytes} handed out. */
    public void allocated(long bytes) {
        if (Stats.ENABLED) {
            allocations++;
            long b = bytesAllocated += bytes;
            if (b - bytesFreed - publishedLive >= LIVE_PUBLISH_STEP) {
                publishLive();
            }
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

    public void increment(Stat stat) {
        add(stat, 1);
    }

    public void add(Stat stat, long delta) {
        if (Stats.ENABLED) {
            // Callers pass constants, so the chain folds to the one store that applies.
            if (stat == Stat.FRONT_HITS) {
                frontHits += delta;
            } else if (stat == Stat.ALLOCATIONS) {
                allocations += delta;
            } else if (stat == Stat.FREES) {
                frees += delta;
            } else if (stat == Stat.BYTES_ALLOCATED) {
                bytesAllocated += delta;
            } else if (stat == Stat.BYTES_FREED) {
                bytesFreed += delta;
            } else {
                counters[stat.ordinal()] += delta;
            }
        }
    }

    /** This thread's own value of a THREAD stat (exact for the calling thread). */
    public long get(Stat stat) {
        return value(stat.ordinal());
    }

    /** The counter of THREAD slot {@code i}, wherever it is kept. */
    long value(int i) {
        if (i == ALLOCATIONS) {
            return allocations;
        } else if (i == FREES) {
            return frees;
        } else if (i == BYTES_ALLOCATED) {
            return bytesAllocated;
        } else if (i == BYTES_FREED) {
            return bytesFreed;
        } else if (i == FRONT_HITS) {
            return frontHits;
        }
        return counters[i];
    }

    private void publishLive() {
        long live = bytesAllocated - bytesFreed;
        owner.gaugeAdd(Stat.LIVE_BYTES_PUBLISHED, live - publishedLive);
        publishedLive = live;
    }
}
