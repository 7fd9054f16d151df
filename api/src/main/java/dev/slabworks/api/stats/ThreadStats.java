package dev.slabworks.api.stats;

import dev.slabworks.api.sizeclass.SizeClasses;

/**
 * One thread's counters for one allocator. Written by its owning thread with plain stores while it runs, then
 * by the one thread that reclaims its heap, which folds it into the allocator's row of ended threads under the
 * stats' lock ({@link #retire}); {@link Stats#snapshot()} reads them racily, so a snapshot taken while threads run is a close
 * approximation and one taken after they quiesce is exact. (HotSpot on 64-bit never tears a long.)
 *
 * <p>Blocks of a size class are counted per class, one array increment per allocate or free; their bytes,
 * the allocation and free totals and the front-cache hits are derived on snapshot:
 * <pre>
 *   blocks: [ allocated, class 0..39 | allocated as a front-cache hit, 0..39 | freed, 0..39 ]
 *   BYTES_ALLOCATED = bytesAllocated + sum over c of (allocated[c] + frontHit[c]) * size(c)
 * </pre>
 * Why: with a byte counter and a running live-bytes check beside each count, stats took superslab on
 * random-mixed (c) from 1.37x glibc (stats off) to 1.20x (JMH); counted per class, stats on and off are
 * within noise (1.38x and 1.33x in two runs).
 * Blocks of no class (direct mappings) keep byte counters ({@link #allocated(long)}, {@link #freed(long)}).
 *
 * <p>Counted later: an allocator that keeps its own counts per page (mimalloc-like) splits each allocate
 * and free in two, its bytes at once, in one field ({@link #allocatedBlockBytes}, {@link #freedBlockBytes}:
 * no per-class slot on its fast paths), and its count later, in batches ({@link #allocatedBlocks},
 * {@link #freedBlocks}). What it has not counted yet it adds to the extra row of
 * {@link Stats#snapshot(java.util.function.Consumer)}. Its bytes, and so its live bytes and their peak,
 * are as exact as the per-class counts; its counts are exact once its threads quiesce (while they run, a
 * snapshot can miss a whole batch, as large as all a page served since it was last counted).
 *
 * <p>Live bytes: exact on snapshot ({@code LIVE_BYTES}, from the counters). Their peak needs a running
 * total the class counters do not keep: a thread samples its live bytes when its byte-counted blocks moved
 * by a step, when its front-cache refills add up to a step ({@link #refilled}) and when its allocator calls
 * {@link #sampleLive()} on an allocation slow path (a new slab or page); when they moved by
 * {@link #LIVE_PUBLISH_STEP} since it last published, it publishes, and the peak is raised to the sum over
 * ALL threads' rows at that moment ({@link Stats#publishLive}). So {@code LIVE_BYTES_PEAK} never counts a
 * block that was already freed (by whichever thread), and it can miss a rise served wholly from free lists and
 * front caches between two samples: at most what one thread's current slabs, pages and front caches held at its
 * last sample, plus the refills since (below a step), plus the step a sample must move by to publish. Byte-counted
 * blocks sample on a rise of a step but on a drop only of more than {@link #LIVE_DROP_STEP} (1 MiB) and than the
 * largest such block the thread allocated since its last sample, so that allocating and freeing one large block
 * over and over samples once, not twice per pair; a rise back after a smaller drop is then not sampled, which can
 * miss up to that much per thread (until its next slow-path sample), and the published gauge lags a drop by as much.
 */
public final class ThreadStats {
    /** Live-byte changes are published to the shared gauge in steps of this, bounding its error per thread. */
    static final long LIVE_PUBLISH_STEP = 64 << 10;
    /**
     * A drop of byte-counted (direct) blocks samples only when larger than this and than the largest such block
     * the thread allocated: without it, a thread that allocates and frees one block of a step or more would
     * sample, and sum every thread's row, twice per pair (a 64 KiB allocate/free pair took ~125 ns instead of
     * ~18 ns). A rise still samples at one step.
     */
    static final long LIVE_DROP_STEP = 16 * LIVE_PUBLISH_STEP;

    private static final int ALLOCATIONS = Stat.ALLOCATIONS.ordinal();
    private static final int FREES = Stat.FREES.ordinal();
    private static final int BYTES_ALLOCATED = Stat.BYTES_ALLOCATED.ordinal();
    private static final int BYTES_FREED = Stat.BYTES_FREED.ordinal();
    private static final int FRONT_HITS = Stat.FRONT_HITS.ordinal();
    private static final int MINCORE_CACHE_HITS = Stat.MINCORE_CACHE_HITS.ordinal();
    private static final int CLASSES = SizeClasses.COUNT;
    private static final int FRONT_HIT_AT = CLASSES;
    private static final int FREED_AT = 2 * CLASSES;

    /** Every THREAD stat's slot; the fast-path stats are kept below instead (see {@link #value}). */
    final long[] counters = new long[Stat.THREAD_SLOTS];
    /** Blocks per size class (see the diagram). */
    private final long[] blocks = new long[3 * CLASSES];
    // Byte-counted blocks (no size class) and front hits counted apart from an allocation.
    private long allocations;
    private long frees;
    private long bytesAllocated;
    private long bytesFreed;
    private long frontHits;
    private long mincoreCacheHits;
    /** Bytes of class blocks handed out and taken back whose counts come apart ({@link #allocatedBlockBytes}...). */
    private long blockBytesAllocated;
    private long blockBytesFreed;
    /** Those counts ({@link #allocatedBlocks}, {@link #freedBlocks}). */
    private long blocksAllocated;
    private long blocksFreed;
    private final Stats owner;
    /** Live bytes when last added to the shared gauge. */
    private long publishedLive;
    /** {@code bytesAllocated - bytesFreed} when a byte-counted block last sampled. */
    private long bytesLiveAtSample;
    /**
     * The drop of byte-counted blocks that samples: the larger of {@link #LIVE_DROP_STEP} and the largest block
     * allocated since the last sample, which was the last block allocated then (so it does not ratchet for good).
     */
    private long bytesDropToSample = LIVE_DROP_STEP;
    private long lastBlock;
    /** Bytes of blocks refilled into this thread's front cache since its last sample ({@link #refilled}). */
    private long refilledSinceSample;

    ThreadStats(Stats owner) {
        this.owner = owner;
    }

    /** One block of size class {@code cls} handed out. */
    public void allocatedBlock(int cls) {
        if (Stats.ENABLED) {
            blocks[cls]++;
        }
    }

    /**
     * {@link #allocatedBlock} of a block that came from a front-cache hit, counting the hit too (instead of
     * {@link #frontHit}): one increment stands for both.
     */
    public void allocatedBlockFrontHit(int cls) {
        if (Stats.ENABLED) {
            blocks[FRONT_HIT_AT + cls]++;
        }
    }

    /** One block of size class {@code cls} taken back. */
    public void freedBlock(int cls) {
        if (Stats.ENABLED) {
            blocks[FREED_AT + cls]++;
        }
    }

    /**
     * The bytes of one block of a size class handed out, counted at once (live bytes stay exact); the block
     * itself is counted later, with {@link #allocatedBlocks}. One field: cheaper on a fast path than
     * {@link #allocatedBlock}'s per-class slot.
     */
    public void allocatedBlockBytes(long bytes) {
        if (Stats.ENABLED) {
            blockBytesAllocated += bytes;
        }
    }

    /** {@code n} blocks of size classes handed out whose bytes {@link #allocatedBlockBytes} counted (slow paths). */
    public void allocatedBlocks(long n) {
        if (Stats.ENABLED) {
            blocksAllocated += n;
        }
    }

    /** {@link #allocatedBlockBytes} of a block taken back; its count comes later, with {@link #freedBlocks}. */
    public void freedBlockBytes(long bytes) {
        if (Stats.ENABLED) {
            blockBytesFreed += bytes;
        }
    }

    /** {@code n} blocks of size classes taken back whose bytes {@link #freedBlockBytes} counted (slow paths). */
    public void freedBlocks(long n) {
        if (Stats.ENABLED) {
            blocksFreed += n;
        }
    }

    /** One block of {@code bytes} and no size class (a direct mapping) handed out. */
    public void allocated(long bytes) {
        if (Stats.ENABLED) {
            allocations++;
            bytesAllocated += bytes;
            lastBlock = bytes;
            if (bytes > bytesDropToSample) {
                bytesDropToSample = bytes;
            }
            sampleIfBytesMoved();
        }
    }

    /** One block of {@code bytes} and no size class taken back. */
    public void freed(long bytes) {
        if (Stats.ENABLED) {
            frees++;
            bytesFreed += bytes;
            sampleIfBytesMoved();
        }
    }

    /**
     * {@link #sampleLive} once the byte-counted blocks rose by a step or dropped by more than
     * {@link #bytesDropToSample}: a direct block stays O(1), and a pair of them costs no sample at all.
     */
    private void sampleIfBytesMoved() {
        long moved = bytesAllocated - bytesFreed - bytesLiveAtSample;
        if (moved >= LIVE_PUBLISH_STEP || moved < -bytesDropToSample) {
            bytesLiveAtSample = bytesAllocated - bytesFreed;
            bytesDropToSample = Math.max(LIVE_DROP_STEP, lastBlock);
            sampleLive();
        }
    }

    /**
     * Blocks of {@code bytes} in all moved from a slab or page into this thread's front cache: {@link #sampleLive}
     * once such refills add up to a step since the last sample. A front cache's blocks are handed out without a
     * sample, so what this leaves unsampled is what the refills since the last sample brought (less than a step)
     * beside what the cache held then: the peak's bound above. Why not sample on every refill: when
     * blocks come back by remote frees a refill finds only the few collected since the last one, so refills come
     * often, and a sample sums all 120 class counters.
     */
    public void refilled(long bytes) {
        if (Stats.ENABLED) {
            long r = refilledSinceSample + bytes;
            if (r >= LIVE_PUBLISH_STEP) {
                sampleLive();
            } else {
                refilledSinceSample = r;
            }
        }
    }

    /**
     * Publishes this thread's live bytes to the shared gauge if they moved by a step since the last time
     * (slow paths only: it sums the class counters).
     */
    public void sampleLive() {
        if (Stats.ENABLED) {
            refilledSinceSample = 0;
            long live = liveBytes();
            if (live - publishedLive >= LIVE_PUBLISH_STEP || live - publishedLive <= -LIVE_PUBLISH_STEP) {
                owner.publishLive(live - publishedLive);
                publishedLive = live;
            }
        }
    }

    /** A front-cache hit: the hottest counter, kept in a field of its own. */
    public void frontHit() {
        if (Stats.ENABLED) {
            frontHits++;
        }
    }

    /** A free whose address a per-thread cache placed without a look-up: counted on every such free. */
    public void mincoreCacheHit() {
        if (Stats.ENABLED) {
            mincoreCacheHits++;
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

    /**
     * Folds this row into its allocator's row of ended threads and drops it from the rows a snapshot sums: for
     * the heap of a thread that has ended, once a live thread has reclaimed it and nothing writes this row any
     * more (see {@link Stats}). Slow path: takes the stats' lock.
     */
    public void retire() {
        owner.retire(this);
    }

    /** Adds every count of {@code o}, a row nobody writes any more, to this one (under the stats' lock). */
    void absorb(ThreadStats o) {
        for (int i = 0; i < counters.length; i++) {
            counters[i] += o.counters[i];
        }
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] += o.blocks[i];
        }
        allocations += o.allocations;
        frees += o.frees;
        bytesAllocated += o.bytesAllocated;
        bytesFreed += o.bytesFreed;
        frontHits += o.frontHits;
        mincoreCacheHits += o.mincoreCacheHits;
        blockBytesAllocated += o.blockBytesAllocated;
        blockBytesFreed += o.blockBytesFreed;
        blocksAllocated += o.blocksAllocated;
        blocksFreed += o.blocksFreed;
        publishedLive += o.publishedLive;
    }

    /** The counter of THREAD slot {@code i}: its array slot plus, for a fast-path stat, what is kept apart. */
    long value(int i) {
        long v = counters[i];
        if (i == ALLOCATIONS) {
            v += allocations + blocksAllocated + sum(0) + sum(FRONT_HIT_AT);
        } else if (i == FREES) {
            v += frees + blocksFreed + sum(FREED_AT);
        } else if (i == BYTES_ALLOCATED) {
            v += bytesAllocated + blockBytesAllocated + bytes(0) + bytes(FRONT_HIT_AT);
        } else if (i == BYTES_FREED) {
            v += bytesFreed + blockBytesFreed + bytes(FREED_AT);
        } else if (i == FRONT_HITS) {
            v += frontHits + sum(FRONT_HIT_AT);
        } else if (i == MINCORE_CACHE_HITS) {
            v += mincoreCacheHits;
        }
        return v;
    }

    /** Bytes this row counted out minus bytes it counted back (negative for a thread that frees others' blocks). */
    long liveBytes() {
        long live = bytesAllocated - bytesFreed + blockBytesAllocated - blockBytesFreed;
        for (int c = 0; c < CLASSES; c++) {
            live += (blocks[c] + blocks[FRONT_HIT_AT + c] - blocks[FREED_AT + c]) * SizeClasses.size(c);
        }
        return live;
    }

    private long sum(int at) {
        long n = 0;
        for (int c = 0; c < CLASSES; c++) {
            n += blocks[at + c];
        }
        return n;
    }

    private long bytes(int at) {
        long n = 0;
        for (int c = 0; c < CLASSES; c++) {
            n += blocks[at + c] * SizeClasses.size(c);
        }
        return n;
    }
}
