package dev.slabworks.api.stats;

import dev.slabworks.api.os.Syscall;

import java.util.Locale;

/**
 * Every statistic slabworks reports, in one table: the rows of {@code stats} in a results file (by
 * {@link #key()}) and of {@link StatsSnapshot}. Each row below says what it counts, in which unit, and who
 * writes it; docs/DESIGN.md §15 explains the counting schemes. Where a value comes from is fixed per row:
 * <ul>
 *   <li>{@link Source#THREAD}: a plain per-thread counter, summed over threads on snapshot (the
 *       hot path pays one increment of a thread-owned array slot, or nothing when
 *       {@link Stats#ENABLED} is off);</li>
 *   <li>{@link Source#GAUGE}: a shared current value changed on slow paths only, with its peak in
 *       the row named {@code <ROW>_PEAK};</li>
 *   <li>{@link Source#OS}: read from the allocator's {@code Os} (syscalls, mapped bytes) or from
 *       {@code getrusage} (page faults since the allocator was made);</li>
 *   <li>{@link Source#DERIVED}: computed from other rows on snapshot.</li>
 * </ul>
 * THREAD rows come first so their ordinal is their slot in a thread's array.
 *
 * <p>Counting schemes of the block rows ({@link #ALLOCATIONS}, {@link #FREES}, {@link #BYTES_ALLOCATED},
 * {@link #BYTES_FREED}, {@link #FRONT_HITS}), by who writes them:
 * <ul>
 *   <li>superslab, shared-pool (blocks of a size class): <em>per class</em>, one slot of the thread's row
 *       per allocate or free ({@link ThreadStats#allocatedBlock}, {@link ThreadStats#allocatedBlockFrontHit},
 *       {@link ThreadStats#freedBlock}); bytes are derived on snapshot as counts times class sizes.</li>
 *   <li>mimalloc-like (blocks of a size class, owner-thread paths): <em>per page</em>, the bytes at once in
 *       one field ({@link ThreadStats#allocatedBlockBytes}, {@link ThreadStats#freedBlockBytes}) and the
 *       counts later, folded from the page when it goes back to the pool or at close
 *       ({@link ThreadStats#allocatedBlocks}, {@link ThreadStats#freedBlocks}); a snapshot adds what pages
 *       still hold through an extra row.</li>
 *   <li>every strategy's remote frees: per class, by the freeing thread.</li>
 *   <li>every strategy's direct blocks (above 32 KiB, api's {@code DirectMappings}): <em>byte counters</em>
 *       ({@link ThreadStats#allocated}, {@link ThreadStats#freed}).</li>
 * </ul>
 * A block's bytes are its usable size (its class's size, or its direct mapping's size), not the size asked.
 * Native baselines count nothing themselves: their results carry the OS rows (page faults; no syscall is
 * seen) and zeros elsewhere.
 */
public enum Stat {
    /**
     * Blocks handed out by {@code allocate} (and by a {@code reallocate} that moves), of every size. Blocks. All
     * strategies, each with its counting scheme (see the class comment).
     */
    ALLOCATIONS(Source.THREAD),
    /**
     * Blocks taken back by {@code free} (and by a {@code reallocate} that moves), local and remote, of every size;
     * rejected frees are not counted. Blocks. All strategies.
     */
    FREES(Source.THREAD),
    /**
     * Frees by a thread other than the owner of the block's slab or page (a subset of {@link #FREES}), counted by the
     * freeing thread. Blocks. superslab, shared-pool, mimalloc-like; a direct block has no owner and is never remote.
     */
    REMOTE_FREES(Source.THREAD),
    /**
     * The {@link #REMOTE_FREES} whose block the freeing thread kept in its own front cache ({@code fc.remote}), to
     * hand out again, rather than sending it back to its slab. Blocks. superslab, shared-pool.
     */
    REMOTE_FREES_HELD(Source.THREAD),
    /**
     * Calls of {@code reallocate} on a live block, in place or moved (address 0 counts as an allocation only). Calls.
     * All strategies, through api's {@code Reallocation}.
     */
    REALLOCATIONS(Source.THREAD),
    /** Usable bytes of the blocks counted in {@link #ALLOCATIONS}. Bytes. All strategies. */
    BYTES_ALLOCATED(Source.THREAD),
    /** Usable bytes of the blocks counted in {@link #FREES}. Bytes. All strategies. */
    BYTES_FREED(Source.THREAD),
    /**
     * Allocations above 32 KiB served by a mapping of their own, new or from the direct-mapping cache (also counted in
     * {@link #ALLOCATIONS}). Blocks. All strategies, through api's {@code DirectMappings}.
     */
    DIRECT_ALLOCATIONS(Source.THREAD),
    /**
     * Allocations served by the thread's front cache without a refill. Blocks. superslab and shared-pool with the front
     * cache on (per class: one slot counts the allocation and the hit); always 0 for mimalloc-like.
     */
    FRONT_HITS(Source.THREAD),
    /**
     * Allocations that found their class's front-cache stack empty. Events. superslab, shared-pool (api's
     * {@code FrontCache}).
     */
    FRONT_MISSES(Source.THREAD),
    /**
     * Refills of a front-cache stack from the strategy's slabs: one per miss with the cache on, whether or not it found
     * blocks. Events. superslab, shared-pool.
     */
    FRONT_REFILLS(Source.THREAD),
    /**
     * Flushes of front-cache blocks back to their slabs: a push onto a full stack (its coldest {@code fc.refill} blocks
     * go), or one class's whole stack drained by {@code trim()} or the reclamation of an ended thread's heap. Events,
     * not blocks. superslab, shared-pool.
     */
    FRONT_FLUSHES(Source.THREAD),
    /**
     * SuperSlabs taken from the LRU of empty (or prewarmed) SuperSlabs instead of being mapped. SuperSlabs or segments.
     * superslab and shared-pool (api's {@code SuperSlabLru}); mimalloc-like ({@code PagePool}) counts an
     * empty segment taken off its LRU when a page of it is handed out; segregated-fit an empty chunk taken from its pool.
     */
    LRU_HITS(Source.THREAD),
    /**
     * SuperSlabs mapped because the LRU was empty. SuperSlabs or segments. superslab, shared-pool; mimalloc-like counts
     * every segment it maps (no pooled page of the kind was left); segregated-fit every chunk it maps.
     */
    LRU_MISSES(Source.THREAD),
    /**
     * Empty SuperSlabs (mimalloc-like: empty segments) unmapped because the LRU was full, those unmapped at once with
     * {@code ss.lru.size = 0} included. SuperSlabs or segments. superslab and shared-pool (api's {@code SuperSlabLru});
     * mimalloc-like counts the segments past its LRU's bounds; segregated-fit counts the emptied chunks its full pool
     * could not keep.
     */
    LRU_EVICTIONS(Source.THREAD),
    /**
     * SuperSlabs mapped into the LRU ahead of demand when the allocator was made ({@code ss.prewarm}). SuperSlabs.
     * superslab, shared-pool.
     */
    PREWARMED(Source.THREAD),
    /**
     * Look-ups of an address ({@code free}, {@code usableSize}, {@code reallocate}) that a per-thread cache placed
     * without a {@code mincore} call, in MINCORE_CACHED mode only: hits of the validator's {@code MincoreCache} (all
     * strategies), and mimalloc-like's page-cache and known-segment hits (one per free they place). Look-ups.
     */
    MINCORE_CACHE_HITS(Source.THREAD),
    /**
     * Look-ups in MINCORE_CACHED mode that the validator's cache missed, each followed by one {@code mincore} call.
     * Look-ups. All strategies, through api's {@code PointerValidator}.
     */
    MINCORE_CACHE_MISSES(Source.THREAD),
    /**
     * Rejections of an address outside the allocator's mappings ({@code FOREIGN}) by {@code free}, {@code usableSize}
     * or {@code reallocate}. Calls. All strategies.
     */
    INVALID_FREE_FOREIGN(Source.THREAD),
    /**
     * Rejections of an address inside the allocator's memory but not at a block start ({@code INTERIOR}). Calls. All
     * strategies.
     */
    INVALID_FREE_INTERIOR(Source.THREAD),
    /** Rejections of a block start that is not allocated now ({@code DOUBLE_FREE}). Calls. All strategies. */
    INVALID_FREE_DOUBLE(Source.THREAD),
    /** Slabs of a shared SuperSlab assigned to a size class and a thread's heap. Slabs. shared-pool. */
    SLABS_ASSIGNED(Source.THREAD),
    /** Empty slabs given back to the shared pool. Slabs. shared-pool. */
    SLABS_RETURNED(Source.THREAD),
    /**
     * Slabs assigned from an EMPTY slot of their own class (SP-SLOT's first stage: the slot the class emptied last).
     * Slabs. shared-pool.
     */
    SLOTS_FROM_EMPTY(Source.THREAD),
    /**
     * Slabs assigned from a free slot of a SuperSlab in use, UNUSED or another class's EMPTY (SP-SLOT's second stage).
     * Slabs. shared-pool.
     */
    SLOTS_FROM_UNUSED(Source.THREAD),
    /**
     * Slabs assigned from a SuperSlab taken from the LRU or newly mapped (SP-SLOT's third stage). Slabs. shared-pool.
     */
    SLOTS_FROM_NEW_SUPERSLAB(Source.THREAD),
    /**
     * SuperSlabs whose last slab came back, every slot free: given to the LRU (which unmaps past
     * {@code ss.lru.size}). SuperSlabs. shared-pool.
     */
    SUPERSLABS_RELEASED(Source.THREAD),
    /**
     * Free slabs (shared-pool) or pages (mimalloc-like) whose memory was given back with {@code madvise} after
     * {@code purge.delay.ms}. Slabs or pages.
     */
    SLABS_PURGED(Source.THREAD),
    /**
     * Purges found premature: the purged slab or page was taken back into use within the purge delay, which
     * doubles (api's {@code PurgeDelay}). Purges. shared-pool, mimalloc-like.
     */
    PURGES_PREMATURE(Source.THREAD),
    /**
     * Pages a heap gave back to the page pool, each counting its blocks into the row then (see the class comment).
     * Pages. mimalloc-like.
     */
    PAGES_RETIRED(Source.THREAD),
    /**
     * Direct allocations served by a freed mapping from the direct-mapping cache or the thread's own direct front
     * ({@code direct.front.bytes}), with no syscall. Blocks. All strategies, with {@code direct.cache.count} and
     * {@code direct.cache.bytes} above 0.
     */
    DIRECT_CACHE_HITS(Source.THREAD),
    /**
     * Direct allocations the direct-mapping cache could not serve (one {@code mmap} each). Blocks. All strategies, with
     * the cache on.
     */
    DIRECT_CACHE_MISSES(Source.THREAD),
    /**
     * Allocations above {@code small.max} and up to 32 KiB, served by the mid path (also counted in
     * {@link #ALLOCATIONS}, with byte counters like direct blocks). Blocks. All strategies, through api's
     * {@code MidPath}; 0 unless {@code small.max} is below 32 KiB.
     */
    MID_ALLOCATIONS(Source.THREAD),

    /**
     * The live bytes threads have published so far (each publishes its change in steps of 64 KiB, on allocation slow
     * paths), so it lags the truth by up to a step per thread. Bytes. api's {@code Stats}, for every strategy.
     */
    LIVE_BYTES_PUBLISHED(Source.GAUGE),
    /** The highest sum of every thread's live bytes seen at a publish. Bytes. api's {@code Stats}. */
    LIVE_BYTES_PUBLISHED_PEAK(Source.GAUGE),
    /** SuperSlabs mapped now, in use and in the LRU. SuperSlabs. superslab, shared-pool. */
    SUPERSLABS(Source.GAUGE),
    /** The most SuperSlabs mapped at once (the seed report's 877). SuperSlabs. superslab, shared-pool. */
    SUPERSLABS_PEAK(Source.GAUGE),
    /** Segments mapped now, in use and in the LRU of empty segments. Segments. mimalloc-like. */
    SEGMENTS(Source.GAUGE),
    /** The most segments mapped at once. Segments. mimalloc-like. */
    SEGMENTS_PEAK(Source.GAUGE),

    /** {@link #BYTES_ALLOCATED} minus {@link #BYTES_FREED}; exact once threads quiesce. Bytes. */
    LIVE_BYTES(Source.DERIVED),
    /**
     * The larger of {@link #LIVE_BYTES} and {@link #LIVE_BYTES_PUBLISHED_PEAK}: a sampled peak that never counts a
     * freed block and can miss a rise served wholly from free lists and front caches between two samples
     * (docs/DESIGN.md §15). Bytes.
     */
    LIVE_BYTES_PEAK(Source.DERIVED),

    /**
     * Bytes the allocator holds mapped now, over-reserved alignment included; not resident memory. Bytes. The
     * allocator's {@code Os}.
     */
    MAPPED_BYTES(Source.OS),
    /** The most bytes mapped at once. Bytes. */
    MAPPED_BYTES_PEAK(Source.OS),
    /** Mappings made and not yet released. Mappings. */
    MAPPINGS_LIVE(Source.OS),
    /** {@code mmap} calls that mapped something, an aligned mapping's second try included. Calls. */
    SYSCALL_MMAP(Source.OS),
    /** Wall time in {@code mmap} calls. Nanoseconds. */
    SYSCALL_MMAP_NANOS(Source.OS),
    /** {@code munmap} calls that unmapped a mapping. Calls. */
    SYSCALL_MUNMAP(Source.OS),
    /** Wall time in {@code munmap} calls. Nanoseconds. */
    SYSCALL_MUNMAP_NANOS(Source.OS),
    /** {@code madvise} calls that succeeded (purges). Calls. */
    SYSCALL_MADVISE(Source.OS),
    /** Wall time in {@code madvise} calls. Nanoseconds. */
    SYSCALL_MADVISE_NANOS(Source.OS),
    /** {@code mincore} calls (MINCORE and MINCORE_CACHED validation). Calls. */
    SYSCALL_MINCORE(Source.OS),
    /** Wall time in {@code mincore} calls. Nanoseconds. */
    SYSCALL_MINCORE_NANOS(Source.OS),
    /**
     * {@code membarrier} calls: the handshake that a thread's first free into another thread's private slab or page
     * waits in, and {@code close()} (see {@code Lifecycle}). Calls.
     */
    SYSCALL_MEMBARRIER(Source.OS),
    /** Wall time in {@code membarrier} calls. Nanoseconds. */
    SYSCALL_MEMBARRIER_NANOS(Source.OS),
    /**
     * {@code mmap} calls the kernel refused: each reached the caller as an {@code OutOfNativeMemoryError}
     * ({@code ENOMEM}) or {@code OsException}, with nothing mapped; not in {@link #SYSCALL_MMAP}. Calls. The
     * allocator's {@code Os}.
     */
    SYSCALL_MMAP_FAILURES(Source.OS),
    /**
     * {@code munmap} calls the kernel refused; not in {@link #SYSCALL_MUNMAP}. The mapping stays mapped and is
     * retried (see {@link #MAPPINGS_UNRELEASED}); the caller's operation went on. Calls.
     */
    SYSCALL_MUNMAP_FAILURES(Source.OS),
    /**
     * {@code madvise} calls the kernel refused; not in {@link #SYSCALL_MADVISE}. The pages were not counted as
     * purged and a later purge pass tries again. Calls.
     */
    SYSCALL_MADVISE_FAILURES(Source.OS),
    /**
     * Mappings the allocator released whose {@code munmap} failed and that are still mapped, waiting for a retry
     * (counted in {@link #MAPPINGS_LIVE} and {@link #MAPPED_BYTES} too). 0 unless the kernel refused. Mappings.
     */
    MAPPINGS_UNRELEASED(Source.OS),
    /**
     * Minor page faults since the allocator was made, from {@code getrusage(RUSAGE_SELF)}: process-wide, so the
     * workload's and the JVM's own faults count too. Faults. Every allocator, native baselines included.
     */
    PAGE_FAULTS_MINOR(Source.OS),
    /** Major page faults since the allocator was made, process-wide like {@link #PAGE_FAULTS_MINOR}. Faults. */
    PAGE_FAULTS_MAJOR(Source.OS);

    public enum Source { THREAD, GAUGE, OS, DERIVED }

    /** Number of THREAD rows: the length of a thread's counter array. */
    static final int THREAD_SLOTS;

    static {
        int n = 0;
        for (Stat s : values()) {
            if (s.source == Source.THREAD) {
                if (s.ordinal() != n) {
                    throw new AssertionError("THREAD stats must come first: " + s);
                }
                n++;
            }
        }
        THREAD_SLOTS = n;
    }

    private final Source source;

    Stat(Source source) {
        this.source = source;
    }

    public Source source() {
        return source;
    }

    /**
     * Whether the row counts events (calls, blocks, faults, nanoseconds), so that its change over an interval is
     * the interval's own figure ({@link StatsSnapshot#since(StatsSnapshot)}); false for a current value or a peak.
     */
    public boolean countsEvents() {
        return switch (source) {
            case THREAD -> true;
            case GAUGE, DERIVED -> false;
            case OS -> switch (this) {
                case MAPPED_BYTES, MAPPED_BYTES_PEAK, MAPPINGS_LIVE, MAPPINGS_UNRELEASED -> false;
                default -> true;
            };
        };
    }

    /** The name in results files: {@code live_bytes_peak}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The row counting {@code call}'s calls, or null for a call the stats do not keep ({@code getrusage}). */
    public static Stat callsOf(Syscall call) {
        return switch (call) {
            case MMAP -> SYSCALL_MMAP;
            case MUNMAP -> SYSCALL_MUNMAP;
            case MADVISE -> SYSCALL_MADVISE;
            case MINCORE -> SYSCALL_MINCORE;
            case MEMBARRIER -> SYSCALL_MEMBARRIER;
            case GETRUSAGE -> null;
        };
    }

    /** The row of {@code call}'s wall time, or null where {@link #callsOf} is. */
    public static Stat nanosOf(Syscall call) {
        return switch (call) {
            case MMAP -> SYSCALL_MMAP_NANOS;
            case MUNMAP -> SYSCALL_MUNMAP_NANOS;
            case MADVISE -> SYSCALL_MADVISE_NANOS;
            case MINCORE -> SYSCALL_MINCORE_NANOS;
            case MEMBARRIER -> SYSCALL_MEMBARRIER_NANOS;
            case GETRUSAGE -> null;
        };
    }

    /** The peak row paired with a gauge, or null. */
    Stat peak() {
        return switch (this) {
            case LIVE_BYTES_PUBLISHED -> LIVE_BYTES_PUBLISHED_PEAK;
            case SUPERSLABS -> SUPERSLABS_PEAK;
            case SEGMENTS -> SEGMENTS_PEAK;
            default -> null;
        };
    }
}
