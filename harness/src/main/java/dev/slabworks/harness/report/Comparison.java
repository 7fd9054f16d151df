package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.MedianInterval;
import dev.slabworks.harness.bench.Repetition;
import dev.slabworks.harness.bench.ResultsHeader;
import dev.slabworks.harness.bench.RunResult;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Two results files side by side: per row (label and workload) the change in median ops/s with its uncertainty,
 * and in syscalls and resident peak. The change is {@code new / old - 1}; its {@code +-} is the two medians'
 * relative 95 % half-intervals ({@link MedianInterval}) added in quadrature and scaled by the ratio, as
 * hyperfine propagates its errors. A drop in ops/s is a regression only when it passes {@code thresholdPercent}
 * AND the two intervals do not overlap: a few per cent of JVM-to-JVM luck on a noisy host is not one. A rise in
 * syscalls beyond the threshold is a regression when it is at least {@link #SYSCALL_FLOOR} calls (timer-driven
 * purges make counts wobble by a few) and, when both files kept every repetition's counts, the new fewest is
 * above the old most; the same for resident peak, from {@link #RESIDENT_FLOOR} bytes. {@link #regressions()} > 0
 * is what makes {@code compare} exit 1.
 */
public final class Comparison {
    public record Row(String label, String workload, RunResult old, RunResult now, double opsChange,
                      double opsUncertainty, long oldSyscalls, long newSyscalls, List<String> alerts) {
    }

    public static final long SYSCALL_FLOOR = 8;
    /** The smallest rise in resident peak flagged: one 64 KiB slab or page. */
    public static final long RESIDENT_FLOOR = 64 << 10;
    /** Knobs of the harness alone: a difference in them changes no figure, so it is not warned about. */
    static final Set<String> HARNESS_ONLY = Set.of("regression.threshold", "spread.warning", "sweep.limit",
            "stress.threads", "bench.cpu.probe");
    /**
     * What a file written before a knob existed measured, for knobs that changed what is measured: a fresh
     * allocator per repetition, one run per warm-up, no warm-up added for a JIT still compiling.
     */
    static final Map<String, String> BEFORE_THE_KNOB = Map.of("allocator.lifetime", "REPETITION",
            "warmup.min.ops", "0", "warmup.min.ms", "0", "warmup.extra.max", "0");

    /** What the columns mean, printed under the table. */
    public static final String LEGEND = "CHANGE: of the median ops/s, +- the 95 % confidence intervals of both medians "
            + "combined; OLD SYS, NEW SYS: mmap + munmap + madvise + mincore in the median repetition (a "
            + "whole run, or its own calls with allocator.lifetime RUN; close() not included); '-' for a native baseline. OLD RES, NEW RES: "
            + "resident peak of the median repetition.";

    private final double thresholdPercent;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> onlyOld = new ArrayList<>();
    private final List<String> onlyNew = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    public Comparison(List<RunResult> old, List<RunResult> now, double thresholdPercent) {
        this.thresholdPercent = thresholdPercent;
        Map<String, RunResult> oldByKey = index(old);
        Map<String, RunResult> newByKey = index(now);
        double t = thresholdPercent / 100;
        Map<String, Set<String>> knobDifferences = new TreeMap<>();
        oldByKey.forEach((key, o) -> {
            RunResult n = newByKey.get(key);
            if (n == null) {
                onlyOld.add(key);
                return;
            }
            List<String> alerts = new ArrayList<>();
            double change = 0;
            double uncertainty = 0;
            if (n.failed()) {
                alerts.add("run failed: " + n.error());
            } else if (!o.failed() && o.opsPerSecMedian() > 0) {
                MedianInterval oi = o.opsPerSecInterval();
                MedianInterval ni = n.opsPerSecInterval();
                double ratio = ni.median() / oi.median();
                change = ratio - 1;
                uncertainty = ratio * Math.hypot(oi.relativeHalfWidth(), ni.relativeHalfWidth());
                if (change < -t && !oi.overlaps(ni)) {
                    alerts.add("throughput " + Format.signedPercent(change) + " (" + Format.ops(oi.median())
                            + " -> " + Format.ops(ni.median()) + " ops/s; 95 % intervals " + interval(oi) + " and "
                            + interval(ni) + " do not overlap)");
                }
            }
            long os = o.syscallCount();
            long ns = n.syscallCount();
            if (os >= 0 && ns >= 0 && ns - os >= SYSCALL_FLOOR && (os == 0 || (double) (ns - os) / os > t)
                    && apart(o, n, Repetition::syscallCount)) {
                alerts.add("syscalls " + (os == 0 ? "0 -> " + ns : Format.signedPercent((double) (ns - os) / os)
                        + " (" + os + " -> " + ns + ")"));
            }
            long or = o.memory().residentBytesPeak();
            long nr = n.memory().residentBytesPeak();
            if (or >= 0 && nr >= 0 && nr - or >= RESIDENT_FLOOR && (or == 0 || (double) (nr - or) / or > t)
                    && apart(o, n, Repetition::residentBytesPeak)) {
                alerts.add("resident peak " + (or == 0 ? "0 -> " + Format.bytes(nr)
                        : Format.signedPercent((double) (nr - or) / or) + " (" + Format.bytes(or) + " -> "
                        + Format.bytes(nr) + ")"));
            }
            knobDifferences(o, n).forEach(d -> knobDifferences.computeIfAbsent(d, k -> new LinkedHashSet<>()).add(key));
            rows.add(new Row(o.label(), o.workloadLine(), o, n, change, uncertainty, os, ns, alerts));
        });
        newByKey.keySet().stream().filter(k -> !oldByKey.containsKey(k)).forEach(onlyNew::add);
        knobDifferences.forEach((d, keys) -> warnings.add("the files differ in knob " + d + " (" + Format.plural(
                keys.size(), "run") + "): the change may be the knob's, not the code's"));
        String host = CrossCpuLines.betweenFiles(old, now);
        if (host != null) {
            warnings.add(host);
        }
    }

    /** The same plus warnings where the two files ran on another JDK or machine. */
    public Comparison(ResultsHeader oldHeader, List<RunResult> old, ResultsHeader newHeader, List<RunResult> now,
                      double thresholdPercent) {
        this(old, now, thresholdPercent);
        if (!oldHeader.jdk().equals(newHeader.jdk())) {
            warnings.addFirst("the files ran on different JDKs: " + oldHeader.jdk() + " (OLD), " + newHeader.jdk() + " (NEW)");
        }
        Map<String, String> om = new LinkedHashMap<>(oldHeader.machine());
        Map<String, String> nm = new LinkedHashMap<>(newHeader.machine());
        if (!om.equals(nm)) {
            warnings.add(warnings.isEmpty() ? 0 : 1, "the files ran on different machines: " + machine(om) + " (OLD), "
                    + machine(nm) + " (NEW)");
        }
    }

    private static String machine(Map<String, String> m) {
        return m.getOrDefault("host", "?") + ", " + m.getOrDefault("cpus", "?") + " CPUs, " + m.getOrDefault("os", "?")
                + " " + m.getOrDefault("arch", "");
    }

    /** "fc.cap 64 -> 128" for each knob whose value differs between the two runs, harness-only knobs left out. */
    private static List<String> knobDifferences(RunResult o, RunResult n) {
        List<String> out = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(o.knobs().keySet());
        keys.addAll(n.knobs().keySet());
        for (String k : keys) {
            String a = o.knobs().getOrDefault(k, BEFORE_THE_KNOB.get(k));
            String b = n.knobs().getOrDefault(k, BEFORE_THE_KNOB.get(k));
            if (!HARNESS_ONLY.contains(k) && a != null && b != null && !a.equals(b)) {
                out.add(k + " " + a + " -> " + b);
            }
        }
        return out;
    }

    /**
     * Whether the new run's repetitions all read above the old run's on {@code figure}: true also when either file
     * did not keep its repetitions (then the medians alone decide) or a figure is unknown.
     */
    private static boolean apart(RunResult o, RunResult n, java.util.function.ToLongFunction<Repetition> figure) {
        if (o.repetitions().isEmpty() || n.repetitions().isEmpty()) {
            return true;
        }
        long oldMost = o.repetitions().stream().mapToLong(figure).max().orElse(-1);
        long newFewest = n.repetitions().stream().mapToLong(figure).min().orElse(-1);
        return oldMost < 0 || newFewest < 0 || newFewest > oldMost;
    }

    private static String interval(MedianInterval i) {
        return Format.ops(i.low()) + ".." + Format.ops(i.high());
    }

    /** What a results file holds, in a few words: "no run", or its runs' labels and workloads. */
    public static String describe(List<RunResult> runs) {
        if (runs.isEmpty()) {
            return "no run";
        }
        Set<String> labels = new LinkedHashSet<>();
        Set<String> workloads = new LinkedHashSet<>();
        runs.forEach(r -> {
            labels.add(r.label());
            workloads.add(r.workloadLine());
        });
        return Format.plural(runs.size(), "run") + " of " + String.join(", ", labels) + " on "
                + String.join(", ", workloads);
    }

    private static Map<String, RunResult> index(List<RunResult> runs) {
        Map<String, RunResult> out = new LinkedHashMap<>();
        runs.forEach(r -> out.put(r.label() + "  " + r.workloadLine(), r));
        return out;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Why the two files may not compare like with like: other knobs, JDK or machine. */
    public List<String> warnings() {
        return warnings;
    }

    public long regressions() {
        return rows.stream().filter(r -> !r.alerts.isEmpty()).count();
    }

    /** "faster by 3.1 % +- 1.2", "slower by 20.0 % +- 0.8", "no change (+- 0.9 %)". */
    static String change(double change, double uncertainty) {
        if (Math.abs(change) < 0.0005) {
            return String.format(Locale.ROOT, "same, +- %.1f %%", uncertainty * 100);
        }
        return String.format(Locale.ROOT, "%s by %.1f %% +- %.1f", change > 0 ? "faster" : "slower",
                Math.abs(change) * 100, uncertainty * 100);
    }

    public void print(PrintWriter out) {
        int width = Math.max(16, rows.stream().mapToInt(r -> r.label.length()).max().orElse(0));
        String format = "%-" + width + "s %-40s %10s %10s %-26s %10s %10s %10s %10s%n";
        out.printf(Locale.ROOT, format, "LABEL", "WORKLOAD", "OLD OPS/S", "NEW OPS/S", "CHANGE", "OLD SYS", "NEW SYS",
                "OLD RES", "NEW RES");
        for (Row r : rows) {
            out.printf(Locale.ROOT, format, r.label, r.workload,
                    r.old.failed() ? "failed" : Format.ops(r.old.opsPerSecMedian()),
                    r.now.failed() ? "failed" : Format.ops(r.now.opsPerSecMedian()),
                    r.old.failed() || r.now.failed() ? "-" : change(r.opsChange, r.opsUncertainty),
                    r.oldSyscalls < 0 ? "-" : Format.count(r.oldSyscalls), r.newSyscalls < 0 ? "-" : Format.count(r.newSyscalls),
                    Format.bytes(r.old.memory().residentBytesPeak()), Format.bytes(r.now.memory().residentBytesPeak()));
        }
        onlyOld.forEach(k -> out.println("only in OLD: " + k));
        onlyNew.forEach(k -> out.println("only in NEW: " + k));
        out.println(LEGEND);
        out.println();
        warnings.forEach(w -> out.println("warning: " + w));
        long n = regressions();
        if (n == 0) {
            out.printf(Locale.ROOT, "No regression beyond %.1f%% (knob regression.threshold) with non-overlapping "
                    + "95 %% intervals.%n", thresholdPercent);
        } else {
            for (Row r : rows) {
                for (String a : r.alerts) {
                    out.printf(Locale.ROOT, "⚠️ Regression Alert: %s on %s: %s (threshold %.1f%%)%n", r.label,
                            r.workload, a, thresholdPercent);
                }
            }
        }
        out.flush();
    }
}
