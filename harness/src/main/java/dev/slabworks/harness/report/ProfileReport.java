package dev.slabworks.harness.report;

import dev.slabworks.api.MemoryUse;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.harness.bench.MemoryFigures;
import dev.slabworks.harness.bench.RunResult;
import dev.slabworks.harness.bench.SyscallCauses;
import dev.slabworks.harness.knobs.HarnessKnobs;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seed report's sections for one contender on one workload: throughput, the syscall table
 * (count, seconds, % of syscall time) and the same calls by cause (close's apart), page faults, SuperSlab/segment counts, front-cache and LRU
 * stats, mincore calls and cache hit rate, memory (live, mapped, resident: at the peak, at the loop's end, after
 * trim; "n/a" where a figure does not exist), and a bottleneck ranking by share of the run's time.
 * Figures are those of the median repetition (a fresh allocator: one whole run).
 */
public final class ProfileReport {
    private ProfileReport() {
    }

    public static void print(RunResult r, PrintWriter out) {
        out.println("== " + r.label() + " (" + r.kind() + (r.label().equals(r.strategy()) ? "" : ", " + r.strategy())
                + "): " + r.workloadLine() + " ==");
        if (r.failed()) {
            out.println("FAILED: " + r.error());
            out.println();
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "Throughput     %s ops/s %s (median of %d; min %s, max %s); %.4f s for %s ops%n",
                Format.ops(r.opsPerSecMedian()), Format.interval(r.opsPerSecInterval()), r.opsPerSec().length,
                Format.ops(r.opsPerSecMin()),
                Format.ops(r.opsPerSecMax()), r.medianSeconds(), Format.count(r.ops()));

        out.println("RUN".equals(r.knobs().get(HarnessKnobs.ALLOCATOR_LIFETIME.key()))
                ? "Syscalls       (the median repetition's own, on the allocator kept through the run: allocator.lifetime "
                        + "RUN; close() apart, below)"
                : "Syscalls       (one run of the median repetition: allocator setup, loop and final frees; "
                        + "close() apart, below)");
        if (r.syscalls() == null) {
            out.println("  not visible: a native baseline calls the kernel itself (use strace -c for it)");
        } else {
            double total = r.syscalls().values().stream().mapToDouble(RunResult.Syscall::seconds).sum();
            out.printf(Locale.ROOT, "  %-9s %10s %12s %9s%n", "syscall", "count", "seconds", "% time");
            r.syscalls().entrySet().stream()
                    .sorted(Map.Entry.<String, RunResult.Syscall>comparingByValue(
                            Comparator.comparingDouble(RunResult.Syscall::seconds)).reversed())
                    .forEach(e -> out.printf(Locale.ROOT, "  %-9s %10s %12.6f %9s%n", e.getKey(),
                            Format.count(e.getValue().count()), e.getValue().seconds(),
                            total == 0 ? "-" : Format.percent(e.getValue().seconds() / total)));
            long calls = r.syscalls().values().stream().mapToLong(RunResult.Syscall::count).sum(); // membarrier too
            out.printf(Locale.ROOT, "  %-9s %10s %12.6f %9s%n", "total", Format.count(calls), total,
                    total == 0 ? "-" : "100.0%");
        }
        if (r.syscallsByCause() != null) {
            causes(r.syscallsByCause(), out);
        }

        out.printf(Locale.ROOT, "Page faults    minor %s (%.3f per op), major %s%n", Format.count(r.minorFaults()),
                r.ops() == 0 ? 0.0 : (double) r.minorFaults() / r.ops(), Format.count(r.majorFaults()));
        out.printf(Locale.ROOT, "SuperSlabs     live %s, peak %s;  segments live %s, peak %s%n",
                c(r, Stat.SUPERSLABS), c(r, Stat.SUPERSLABS_PEAK), c(r, Stat.SEGMENTS), c(r, Stat.SEGMENTS_PEAK));
        if (r.stat(Stat.SLABS_ASSIGNED.key()) > 0) { // the SP-SLOT pool (shared-pool)
            out.printf(Locale.ROOT, "SP-SLOT        slabs %s: from an EMPTY slot of their class %s, an UNUSED slot %s, "
                            + "a new SuperSlab %s;  SuperSlabs released %s%n", c(r, Stat.SLABS_ASSIGNED),
                    c(r, Stat.SLOTS_FROM_EMPTY), c(r, Stat.SLOTS_FROM_UNUSED), c(r, Stat.SLOTS_FROM_NEW_SUPERSLAB),
                    c(r, Stat.SUPERSLABS_RELEASED));
        }
        if (r.stat(Stat.MID_ALLOCATIONS.key()) > 0) {
            out.printf(Locale.ROOT, "Mid path       allocations %s (above small.max %s, as %s; mid.validation %s)%n",
                    c(r, Stat.MID_ALLOCATIONS), r.knobs().getOrDefault("small.max", "?"),
                    r.knobs().getOrDefault("mid.policy", "?"), r.knobs().getOrDefault("mid.validation", "?"));
        }
        memory(r.memory(), out);
        if (!Stats.ENABLED && r.syscalls() != null) {
            out.println("Counters       off in this JVM (stats=false): the per-thread lines below read 0");
        }
        long hits = r.stat(Stat.FRONT_HITS.key());
        long misses = r.stat(Stat.FRONT_MISSES.key());
        out.printf(Locale.ROOT, "Front cache    hits %s, misses %s, hit rate %s;  refills %s, flushes %s%n",
                Format.count(hits), Format.count(misses), rate(hits, misses), c(r, Stat.FRONT_REFILLS),
                c(r, Stat.FRONT_FLUSHES));
        long lruHits = r.stat(Stat.LRU_HITS.key());
        long lruMisses = r.stat(Stat.LRU_MISSES.key());
        out.printf(Locale.ROOT, "LRU            hits %s, misses %s, hit rate %s;  evictions %s;  prewarmed %s%n",
                Format.count(lruHits), Format.count(lruMisses), rate(lruHits, lruMisses), c(r, Stat.LRU_EVICTIONS),
                c(r, Stat.PREWARMED));
        long mincoreCalls = r.syscalls() == null ? 0 : r.syscalls().get("mincore").count();
        long cacheHits = r.stat(Stat.MINCORE_CACHE_HITS.key());
        long cacheMisses = r.stat(Stat.MINCORE_CACHE_MISSES.key());
        out.printf(Locale.ROOT, "mincore        calls %s;  cache hits %s, misses %s, hit rate %s%n",
                Format.count(mincoreCalls), Format.count(cacheHits), Format.count(cacheMisses), rate(cacheHits, cacheMisses));

        out.println("Bottlenecks (share of the run's time)");
        int rank = 1;
        for (Share s : bottlenecks(r)) {
            out.printf(Locale.ROOT, "  %d. %-34s %7s  %.6f s%n", rank++, s.what, Format.percent(s.fraction), s.seconds);
        }
        out.println();
        out.flush();
    }

    record Share(String what, double seconds, double fraction) {
    }

    /** The run's calls by cause (their sums are the table above) and close's, apart. */
    static void causes(SyscallCauses c, PrintWriter out) {
        String row = "  %-15s %9s %9s %9s %9s %12s%n";
        out.println("Syscalls by cause");
        out.printf(Locale.ROOT, row, "cause", "mmap", "munmap", "madvise", "mincore", "seconds");
        for (SyscallCauses.Row r : c.rows().values()) {
            causeRow(row, r, out);
        }
        causeRow(row, c.total(), out);
        causeRow(row, c.close(), out);
        out.println("  (close: what close() makes after the run, one munmap per mapping left, not timed; not in the total, "
                + "as a process that exits unmaps nothing)");
    }

    private static void causeRow(String format, SyscallCauses.Row r, PrintWriter out) {
        out.printf(Locale.ROOT, format, r.label(), Format.count(r.mmap()), Format.count(r.munmap()),
                Format.count(r.madvise()), Format.count(r.mincore()), String.format(Locale.ROOT, "%.6f", r.seconds()));
    }

    /** Live, mapped and resident bytes at the peak, at the loop's end and after the frees and trim(), and the overhead. */
    static void memory(MemoryFigures m, PrintWriter out) {
        String row = "  %-18s %12s %12s %12s%n";
        out.printf(Locale.ROOT, "Memory%14s %12s %12s %12s%n", "", "peak", "loop end", "after trim");
        out.printf(Locale.ROOT, row, "live (requested)", Format.bytes(m.liveBytesPeak()), Format.bytes(m.liveBytesEnd()),
                Format.bytes(m.liveBytesPeak() < 0 ? -1 : 0)); // every workload frees all it allocated
        out.printf(Locale.ROOT, row, "mapped", Format.bytes(m.mappedBytesPeak()), Format.bytes(m.mappedBytesEnd()),
                Format.bytes(m.mappedBytesAfterTrim()));
        MemoryUse.Bound b = m.residentBound();
        out.printf(Locale.ROOT, row, "resident", Format.resident(m.residentBytesPeak(), b),
                Format.resident(m.residentBytesEnd(), b), Format.resident(m.residentBytesAfterTrim(), b));
        out.printf(Locale.ROOT, "  overhead %s (resident peak / live peak); resident: %s%s, %d readings%n",
                Format.overhead(m.overhead(), b), m.residentFrom() == null ? "n/a" : m.residentFrom(), switch (b) {
                    case EXACT -> "";
                    case AT_LEAST -> " (at least: what the library can attribute to this run)";
                    case AT_MOST -> " (at most: the library's committed or dirtied pages)";
                    case ESTIMATE -> " (the library's estimate)";
                }, m.samples());
    }

    /**
     * Each syscall's time, and the rest (user space: allocator and loop), as shares of the run, largest
     * first. Syscalls are counted over the whole run (setup and untimed clean-up included, as in the
     * seed's whole-process figures), so the denominator is the larger of loop time and syscall time.
     */
    static List<Share> bottlenecks(RunResult r) {
        double sysTotal = r.syscalls() == null ? 0
                : r.syscalls().values().stream().mapToDouble(RunResult.Syscall::seconds).sum();
        double run = Math.max(r.medianSeconds(), sysTotal);
        List<Share> shares = new ArrayList<>();
        double sys = 0;
        if (r.syscalls() != null) {
            for (var e : r.syscalls().entrySet()) {
                double s = e.getValue().seconds();
                sys += s;
                if (e.getValue().count() > 0) {
                    shares.add(new Share(e.getKey() + " (" + Format.count(e.getValue().count()) + " calls)", s,
                            run == 0 ? 0 : s / run));
                }
            }
        }
        double user = Math.max(0, r.medianSeconds() - sys);
        shares.add(new Share(r.syscalls() == null ? "allocator + loop (syscalls unseen)" : "allocator + loop in user space",
                user, run == 0 ? 0 : user / run));
        shares.sort(Comparator.comparingDouble(Share::seconds).reversed());
        return shares;
    }

    private static String c(RunResult r, Stat s) {
        return Format.count(r.stat(s.key()));
    }

    private static String rate(long hits, long misses) {
        return hits + misses == 0 ? "-" : Format.percent((double) hits / (hits + misses));
    }
}
