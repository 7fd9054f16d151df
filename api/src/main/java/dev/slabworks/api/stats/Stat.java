package dev.slabworks.api.stats;

import java.util.Locale;

/**
 * Every statistic slabworks reports, in one table. Where a value comes from is fixed per row:
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
 */
public enum Stat {
    ALLOCATIONS(Source.THREAD),
    FREES(Source.THREAD),
    REMOTE_FREES(Source.THREAD),
    REALLOCATIONS(Source.THREAD),
    BYTES_ALLOCATED(Source.THREAD),
    BYTES_FREED(Source.THREAD),
    DIRECT_ALLOCATIONS(Source.THREAD),
    FRONT_HITS(Source.THREAD),
    FRONT_MISSES(Source.THREAD),
    FRONT_REFILLS(Source.THREAD),
    FRONT_FLUSHES(Source.THREAD),
    LRU_HITS(Source.THREAD),
    LRU_MISSES(Source.THREAD),
    LRU_EVICTIONS(Source.THREAD),
    PREWARMED(Source.THREAD),
    MINCORE_CACHE_HITS(Source.THREAD),
    MINCORE_CACHE_MISSES(Source.THREAD),
    INVALID_FREE_FOREIGN(Source.THREAD),
    INVALID_FREE_INTERIOR(Source.THREAD),
    INVALID_FREE_DOUBLE(Source.THREAD),
    SLABS_ASSIGNED(Source.THREAD),
    SLABS_RETURNED(Source.THREAD),
    SLABS_PURGED(Source.THREAD),
    PAGES_RETIRED(Source.THREAD),
    DIRECT_CACHE_HITS(Source.THREAD),
    DIRECT_CACHE_MISSES(Source.THREAD),

    LIVE_BYTES_PUBLISHED(Source.GAUGE),
    LIVE_BYTES_PUBLISHED_PEAK(Source.GAUGE),
    SUPERSLABS(Source.GAUGE),
    SUPERSLABS_PEAK(Source.GAUGE),
    SEGMENTS(Source.GAUGE),
    SEGMENTS_PEAK(Source.GAUGE),

    LIVE_BYTES(Source.DERIVED),
    LIVE_BYTES_PEAK(Source.DERIVED),

    MAPPED_BYTES(Source.OS),
    MAPPED_BYTES_PEAK(Source.OS),
    MAPPINGS_LIVE(Source.OS),
    SYSCALL_MMAP(Source.OS),
    SYSCALL_MMAP_NANOS(Source.OS),
    SYSCALL_MUNMAP(Source.OS),
    SYSCALL_MUNMAP_NANOS(Source.OS),
    SYSCALL_MADVISE(Source.OS),
    SYSCALL_MADVISE_NANOS(Source.OS),
    SYSCALL_MINCORE(Source.OS),
    SYSCALL_MINCORE_NANOS(Source.OS),
    PAGE_FAULTS_MINOR(Source.OS),
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

    /** The name in results files: {@code live_bytes_peak}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
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
