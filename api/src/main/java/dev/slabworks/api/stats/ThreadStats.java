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

    final long[] counters = new long[Stat.THREAD_SLOTS];
    private final Stats owner;
    private long unpublishedLive;

    ThreadStats(Stats owner) {
        this.owner = owner;
    }

    /** One block of {@code bytes} handed out. */
    public void allocated(long bytes) {
        if (Stats.ENABLED) {
            counters[ALLOCATIONS]++;
            counters[BYTES_ALLOCATED] += bytes;
            long u = unpublishedLive += bytes;
            if (u >= LIVE_PUBLISH_STEP) {
                publishLive();
            }
        }
    }

    /** One block of {@code bytes} taken back. */
    public void freed(long bytes) {
        if (Stats.ENABLED) {
            counters[FREES]++;
            counters[BYTES_FREED] += bytes;
            long u = unpublishedLive -= bytes;
            if (u <= -LIVE_PUBLISH_STEP) {
                publishLive();
            }
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
        return counters[stat.ordinal()];
    }

    private void publishLive() {
        owner.gaugeAdd(Stat.LIVE_BYTES_PUBLISHED, unpublishedLive);
        unpublishedLive = 0;
    }
}
