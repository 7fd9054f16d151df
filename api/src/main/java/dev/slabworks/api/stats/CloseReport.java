package dev.slabworks.api.stats;

import dev.slabworks.api.os.OsException;
import dev.slabworks.api.os.Syscall;
import dev.slabworks.api.os.SyscallCause;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What an allocator prints when it closes, for the diagnostic knobs that ask for it ({@code ss.lru.debug},
 * {@code ss.prewarm.debug}, {@code front.stats}): one line per knob, in one format for every strategy, read from
 * the allocator's stats and what only the strategy knows (its LRU's bound, what it holds now). Close only. And,
 * whatever the knobs, a line when a kernel call failed in the allocator's life ({@link #kernelFailures}).
 * <pre>
 *   [superslab] LRU (size 16): hits 120, misses 9 (hit rate 93.02 %), evictions 0; SuperSlabs peak 9; mmap 12, munmap 12 (12 by close)
 *   [superslab] LRU (size 16, room grew to 64): ...       (an LRU whose room adapts, when it grew)
 *   [superslab] prewarm: 4 SuperSlabs of 2097152 bytes mapped ahead, 4 used, 0 never used
 *   [superslab] front cache (cap 256, refill 32, front-direct true): hits 9000, misses 41 (hit rate 99.55 %), refills 41, flushes 0
 * </pre>
 */
public final class CloseReport {
    private final PrintStream out;
    private final String allocator;
    private final StatsSnapshot stats;

    /** Lines about {@code allocator}, from {@code stats} taken at close, to {@code out}. */
    public CloseReport(PrintStream out, String allocator, StatsSnapshot stats) {
        this.out = out;
        this.allocator = allocator;
        this.stats = stats;
    }

    /**
     * {@code ss.lru.debug}: the LRU of empty {@code units} (SuperSlabs, segments), bounded at {@code capacity}; the
     * peak of the units mapped is the row {@code peak}.
     */
    public void lru(int capacity, String units, Stat peak) {
        lru(capacity, capacity, units, peak);
    }

    /** {@link #lru(int, String, Stat)} for an LRU whose room adapts: {@code roomReached} is the largest it grew to. */
    public void lru(int capacity, int roomReached, String units, Stat peak) {
        long hits = stats.get(Stat.LRU_HITS);
        long misses = stats.get(Stat.LRU_MISSES);
        String grew = roomReached > capacity ? ", room grew to " + roomReached : "";
        out.printf("[%s] LRU (size %d%s): hits %d, misses %d (hit rate %s), evictions %d; %s peak %d; "
                        + "mmap %d, munmap %d (%d by close)%n", allocator, capacity, grew, hits, misses,
                percent(hits, hits + misses), stats.get(Stat.LRU_EVICTIONS), units, stats.get(peak),
                stats.get(Stat.SYSCALL_MMAP), stats.get(Stat.SYSCALL_MUNMAP),
                stats.syscallsByCause().count(Syscall.MUNMAP, SyscallCause.CLOSE));
    }

    /** {@code ss.prewarm.debug}: what prewarm mapped ahead, units of {@code unitBytes}, and how many were never used. */
    public void prewarm(String units, long unitBytes, long neverUsed) {
        long prewarmed = stats.get(Stat.PREWARMED);
        out.printf("[%s] prewarm: %d %s of %d bytes mapped ahead, %d used, %d never used%n",
                allocator, prewarmed, units, unitBytes, prewarmed - neverUsed, neverUsed);
    }

    /** {@code front.stats}: the front cache's hits, misses, refills and flushes. */
    public void front(int capacity, int refill, boolean frontDirect) {
        long hits = stats.get(Stat.FRONT_HITS);
        long misses = stats.get(Stat.FRONT_MISSES);
        out.printf("[%s] front cache (cap %d, refill %d, front-direct %s): hits %d, misses %d (hit rate %s), "
                        + "refills %d, flushes %d%n", allocator, capacity, refill, frontDirect, hits, misses,
                percent(hits, hits + misses), stats.get(Stat.FRONT_REFILLS), stats.get(Stat.FRONT_FLUSHES));
    }

    /**
     * Printed whatever the knobs when the kernel refused a call in the allocator's life (a refused {@code mmap}
     * reached its caller as an exception; a refused {@code munmap} or {@code madvise} did not, and this line is
     * where it shows): the failures by call, what is still mapped after the last retry, and the last failure.
     * <pre>
     *   [superslab] kernel calls failed: mmap 0, munmap 3, madvise 0; 1 mapping(s) still mapped after retries; last: munmap(0x20000200000, 2097152) failed: EINVAL (22): Invalid argument
     * </pre>
     */
    public void kernelFailures(OsException lastFailure) {
        long mmap = stats.get(Stat.SYSCALL_MMAP_FAILURES);
        long munmap = stats.get(Stat.SYSCALL_MUNMAP_FAILURES);
        long madvise = stats.get(Stat.SYSCALL_MADVISE_FAILURES);
        if (mmap + munmap + madvise == 0) {
            return;
        }
        out.printf("[%s] kernel calls failed: mmap %d, munmap %d, madvise %d; %d mapping(s) still mapped after "
                + "retries; last: %s%n", allocator, mmap, munmap, madvise, stats.get(Stat.MAPPINGS_UNRELEASED),
                lastFailure == null ? "none kept" : lastFailure.getMessage());
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f %%", 100.0 * part / whole);
    }
}
