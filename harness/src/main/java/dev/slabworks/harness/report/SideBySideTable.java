package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.JvmEffect;
import dev.slabworks.harness.bench.MedianInterval;
import dev.slabworks.harness.bench.RunResult;
import dev.slabworks.harness.knobs.HarnessKnobs;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The side-by-side table of a bench: per workload, one row per contender with the median ops/s,
 * the min–max spread, the ratio to glibc measured in the same run, and the syscalls of one run
 * ("-" for baselines, whose calls the OS layer cannot see). When each contender ran in JVMs of its own
 * ({@code --forks}), the median is over the repetitions of all of them, and each JVM's median follows the table.
 * Under each table, a warning when a contender's spread is above the knob {@code spread.warning}, and one for a
 * JVM turn in which several contenders read far below their own median ({@link #slowTurnWarnings}); after the
 * tables, the {@link #LEGEND}.
 * A workload that counts more than ops (its phases, remote sends, failed allocations) gets a line per contender
 * under the table with those counts, from the median repetition, or one line when every contender counted the same.
 * RESIDENT PEAK and OVERHEAD (resident peak over live peak) are those of the median repetition ({@code MemoryFigures}).
 */
public final class SideBySideTable {
    /** What the columns mean, printed under the tables. */
    public static final List<String> LEGEND = List.of(
            "SPREAD = (max - min) / median of the repetitions; 95% CI = the median's 95 % confidence interval, +- half its "
                    + "width over the median (distribution-free; with fewer than 6 repetitions it is min-max, marked *, "
                    + "and less sure: 94 % for 5, 75 % for 3); vs GLIBC = OPS/S over glibc's OPS/S in this run.",
            "MMAP, MUNMAP, MADVISE, MINCORE = the strategy's calls in its median repetition: a whole run on a fresh "
                    + "allocator (setup, loop and final frees; close() not included), or with allocator.lifetime RUN "
                    + "(trace-replay's default) the repetition's own on the allocator kept through the run; '-' for a "
                    + "native baseline, whose calls slabworks cannot see.",
            "RESIDENT PEAK = the contender's memory in RAM at its highest in the median repetition (a strategy's by "
                    + "mincore, a baseline's by its library's own count: README, \"Memory\"); OVERHEAD = RESIDENT PEAK "
                    + "over the workload's live bytes at their peak; 'n/a' where unknown; '≥', '≤', '≈' mark a library's bound or estimate.");

    /** What the JVM medians' p means, printed under the legend when a table has JVM medians. */
    public static final String JVM_LEGEND = "JVM medians (--forks) = each JVM's median, their spread, and p = the share of "
            + String.format(Locale.ROOT, "%,d", JvmEffect.SHUFFLES) + " random regroupings of the repetitions among the JVMs that set their ranks as far apart (a "
            + "permutation test, Kruskal-Wallis's statistic): below 0.05 the JVMs differ beyond their repetitions' scatter "
            + "(a slow process, or a slower stretch of the host: then the other contenders' JVMs of that turn read low "
            + "too); above, that scatter explains the spread, and more --reps narrows it where more JVMs do not.";

    private SideBySideTable() {
    }

    /** The tables of {@code runs}; a contender whose spread is above {@code spreadWarningPercent} is named under its table. */
    public static void print(List<RunResult> runs, PrintWriter out, double spreadWarningPercent) {
        print(runs, out, spreadWarningPercent, workloadLine -> null);
    }

    /** {@link #print(List, PrintWriter, double)} with a line above each table: {@code heading} of its workload line, when not null. */
    public static void print(List<RunResult> runs, PrintWriter out, double spreadWarningPercent,
                             Function<String, String> heading) {
        Map<String, List<RunResult>> byWorkload = new LinkedHashMap<>();
        runs.forEach(r -> byWorkload.computeIfAbsent(r.workloadLine(), k -> new ArrayList<>()).add(r));
        int width = Math.max(16, runs.stream().mapToInt(r -> r.label().length()).max().orElse(0));
        String format = "%-" + width + "s %-9s %10s %8s %22s %8s %9s %9s %9s %9s %13s %8s%n";
        byWorkload.forEach((workload, rows) -> {
            int reps = rows.stream().mapToInt(r -> r.opsPerSec().length).max().orElse(0);
            int jvms = rows.stream().mapToInt(r -> r.forkMedians().length).max().orElse(0);
            String label = heading.apply(workload);
            if (label != null) {
                out.println(label);
            }
            out.println(workload + "   (median of " + Format.plural(reps, "repetition")
                    + (jvms > 0 ? " in " + jvms + " JVMs per contender)" : ")"));
            out.printf(Locale.ROOT, format, "STRATEGY", "KIND", "OPS/S", "95% CI", "MIN–MAX (SPREAD)", "vs GLIBC",
                    "MMAP", "MUNMAP", "MADVISE", "MINCORE", "RESIDENT PEAK", "OVERHEAD");
            double glibc = rows.stream().filter(r -> r.strategy().equals("glibc") && !r.failed())
                    .mapToDouble(RunResult::opsPerSecMedian).findFirst().orElse(0);
            for (RunResult r : rows) {
                if (r.failed()) {
                    out.printf(Locale.ROOT, "%-" + width + "s %-9s FAILED: %s%n", r.label(), r.kind(), r.error());
                    continue;
                }
                String spread = Format.ops(r.opsPerSecMin()) + "–" + Format.ops(r.opsPerSecMax())
                        + " (" + String.format(Locale.ROOT, "%.0f%%", r.spread() * 100) + ")";
                String ratio = glibc == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", r.opsPerSecMedian() / glibc);
                out.printf(Locale.ROOT, format, r.label(), r.kind(), Format.ops(r.opsPerSecMedian()),
                        Format.interval(r.opsPerSecInterval()), spread, ratio,
                        sys(r, "mmap"), sys(r, "munmap"), sys(r, "madvise"), sys(r, "mincore"),
                        Format.resident(r.memory().residentBytesPeak(), r.memory().residentBound()),
                        Format.overhead(r.memory().overhead(), r.memory().residentBound()));
            }
            List<RunResult> counted = rows.stream().filter(r -> !r.failed() && !r.workloadCounts().isEmpty()).toList();
            if (counted.size() > 1 && counted.stream().allMatch(r -> r.workloadCounts().equals(counted.getFirst().workloadCounts()))) {
                out.printf(Locale.ROOT, "%-" + width + "s counts: %s%n", "every contender",
                        counts(counted.getFirst().workloadCounts()));
            } else {
                for (RunResult r : counted) {
                    out.printf(Locale.ROOT, "%-" + width + "s counts: %s%n", r.label(), counts(r.workloadCounts()));
                }
            }
            for (RunResult r : rows) {
                if (!r.failed() && r.forkMedians().length > 0) {
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s JVM medians:",
                            r.label()));
                    for (double m : r.forkMedians()) {
                        line.append(' ').append(Format.ops(m));
                    }
                    out.println(line.append(String.format(Locale.ROOT, " (spread %.0f%%%s)", r.forkSpread() * 100,
                                    r.hasForkSpreadP() ? String.format(Locale.ROOT, ", p %.2f", r.forkSpreadP()) : ""))
                            .append(CrossCpuLines.jvmSuffix(r)));
                }
            }
            CrossCpuLines.summary(rows).forEach(out::println);
            CrossCpuLines.byState(rows, width).forEach(out::println);
            String noise = noiseWarning(rows, spreadWarningPercent);
            if (noise != null) {
                out.println(noise);
            }
            slowTurnWarnings(rows).forEach(out::println);
            out.println();
        });
        if (!runs.isEmpty()) {
            LEGEND.forEach(out::println);
            if (runs.stream().anyMatch(r -> !r.failed() && r.hasForkSpreadP())) {
                out.println(JVM_LEGEND);
            }
        }
        out.flush();
    }

    /**
     * One line naming the contenders of one workload whose spread is above {@code thresholdPercent}, and what to
     * do about it; null when there is none.
     */
    static String noiseWarning(List<RunResult> rows, double thresholdPercent) {
        List<String> noisy = new ArrayList<>();
        for (RunResult r : rows) {
            if (!r.failed() && r.opsPerSec().length > 1 && r.spread() * 100 > thresholdPercent) {
                noisy.add(r.label() + String.format(Locale.ROOT, " %.0f%%", r.spread() * 100));
            }
        }
        if (noisy.isEmpty()) {
            return null;
        }
        return String.format(Locale.ROOT, "warning: spread above %s%% (knob %s) for %s: too noisy to "
                + "compare closely; run with --forks 3, more --reps, or on an idle machine.",
                Format.decimal(thresholdPercent), HarnessKnobs.SPREAD_WARNING.key(), String.join(", ", noisy));
    }

    /** A JVM this far below its contender's median of JVMs counts as slow in {@link #slowTurnWarnings}. */
    static final double SLOW_JVM = 0.75;

    /**
     * A line for each JVM turn ({@code --forks}: the contenders take turns, so the f-th JVMs of all ran in one stretch
     * of time) in which two contenders or more read {@link #SLOW_JVM} of their median or less: more likely a slow
     * period of the machine than of two allocators at once (DESIGN §19, "Slow periods"). Empty when there is none.
     * Needs three JVMs or more per contender, and a contender slow in most of its turns sets its own median low and
     * is not named: the warning catches a short period, not a long one.
     */
    static List<String> slowTurnWarnings(List<RunResult> rows) {
        List<String> lines = new ArrayList<>();
        List<RunResult> forked = rows.stream().filter(r -> !r.failed() && r.forkMedians().length >= 3).toList();
        double[] medians = forked.stream().mapToDouble(r -> MedianInterval.of(r.forkMedians()).median()).toArray();
        int turns = forked.stream().mapToInt(r -> r.forkMedians().length).max().orElse(0);
        for (int t = 0; t < turns; t++) {
            List<String> slow = new ArrayList<>();
            for (int i = 0; i < forked.size(); i++) {
                double[] jvms = forked.get(i).forkMedians();
                if (medians[i] > 0 && t < jvms.length && jvms[t] <= SLOW_JVM * medians[i]) {
                    slow.add(forked.get(i).label() + " " + Format.ops(jvms[t]) + " against " + Format.ops(medians[i]));
                }
            }
            if (slow.size() >= 2) {
                lines.add(String.format(Locale.ROOT, "warning: in JVM turn %d, %d of %d contenders read %.0f %% of their "
                        + "median or less (%s): a slow period of the machine? Run again before reading closely "
                        + "(DESIGN §19, \"Slow periods\").", t + 1, slow.size(), forked.size(), SLOW_JVM * 100,
                        String.join(", ", slow)));
            }
        }
        return lines;
    }

    /** "remoteSends 1,799,120, remoteSharePct 89.96, ...": a workload's own counts, integers grouped. */
    static String counts(Map<String, Number> counts) {
        StringBuilder line = new StringBuilder();
        counts.forEach((key, value) -> line.append(line.isEmpty() ? "" : ", ").append(key).append(' ')
                .append(value instanceof Double || value instanceof Float
                        ? String.format(Locale.ROOT, "%.2f", value.doubleValue()) : Format.count(value.longValue())));
        return line.toString();
    }

    private static String sys(RunResult r, String name) {
        if (r.syscalls() == null || !r.syscalls().containsKey(name)) {
            return "-";
        }
        return Format.count(r.syscalls().get(name).count());
    }
}
