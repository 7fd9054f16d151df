package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.RunResult;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Two results files side by side: per strategy and workload, the change in median ops/s and in
 * syscalls per run. A drop in ops/s, or a rise in syscalls, beyond {@code thresholdPercent} is a
 * regression, printed as the seed report's "Regression Alert"; {@link #regressions()} > 0 is what
 * makes {@code compare} exit non-zero. A rise of fewer than {@link #SYSCALL_FLOOR} calls is never
 * flagged: timer-driven purges make counts wobble by a few calls between runs, and the seed's
 * question is thousands versus a hundred, not 3 versus 4. A rise in resident peak beyond the threshold is a
 * regression too, when it is at least {@link #RESIDENT_FLOOR} bytes (the sampled peak of a small heap moves by a
 * few pages from run to run) and both files have the figure.
 */
public final class Comparison {
    public record Row(String strategy, String workload, RunResult old, RunResult now, double opsChange,
                      long oldSyscalls, long newSyscalls, List<String> alerts) {
    }

    public static final long SYSCALL_FLOOR = 8;
    /** The smallest rise in resident peak flagged: one 64 KiB slab or page. */
    public static final long RESIDENT_FLOOR = 64 << 10;

    /** What the columns mean, printed under the table. */
    public static final String LEGEND = "CHANGE: of the median ops/s; OLD SYS, NEW SYS: mmap + munmap + madvise + mincore "
            + "in one run (allocator setup, loop and final frees; close() not included) of the median repetition; "
            + "'-' for a native baseline. "
            + "OLD RES, NEW RES: resident peak of the median repetition.";

    private final double thresholdPercent;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> onlyOld = new ArrayList<>();
    private final List<String> onlyNew = new ArrayList<>();

    public Comparison(List<RunResult> old, List<RunResult> now, double thresholdPercent) {
        this.thresholdPercent = thresholdPercent;
        Map<String, RunResult> oldByKey = index(old);
        Map<String, RunResult> newByKey = index(now);
        double t = thresholdPercent / 100;
        oldByKey.forEach((key, o) -> {
            RunResult n = newByKey.get(key);
            if (n == null) {
                onlyOld.add(key);
                return;
            }
            List<String> alerts = new ArrayList<>();
            double change = 0;
            if (n.failed()) {
                alerts.add("run failed: " + n.error());
            } else if (!o.failed() && o.opsPerSecMedian() > 0) {
                change = n.opsPerSecMedian() / o.opsPerSecMedian() - 1;
                if (change < -t) {
                    alerts.add("throughput " + Format.signedPercent(change) + " (" + Format.ops(o.opsPerSecMedian())
                            + " -> " + Format.ops(n.opsPerSecMedian()) + " ops/s)");
                }
            }
            long os = o.syscallCount();
            long ns = n.syscallCount();
            if (os >= 0 && ns >= 0 && ns - os >= SYSCALL_FLOOR && (os == 0 || (double) (ns - os) / os > t)) {
                alerts.add("syscalls " + (os == 0 ? "0 -> " + ns : Format.signedPercent((double) (ns - os) / os)
                        + " (" + os + " -> " + ns + ")"));
            }
            long or = o.memory().residentBytesPeak();
            long nr = n.memory().residentBytesPeak();
            if (or >= 0 && nr >= 0 && nr - or >= RESIDENT_FLOOR && (or == 0 || (double) (nr - or) / or > t)) {
                alerts.add("resident peak " + (or == 0 ? "0 -> " + Format.bytes(nr)
                        : Format.signedPercent((double) (nr - or) / or) + " (" + Format.bytes(or) + " -> "
                        + Format.bytes(nr) + ")"));
            }
            rows.add(new Row(o.strategy(), o.workloadLine(), o, n, change, os, ns, alerts));
        });
        newByKey.keySet().stream().filter(k -> !oldByKey.containsKey(k)).forEach(onlyNew::add);
    }

    /** What a results file holds, in a few words: "no run", or its runs' strategies and workloads. */
    public static String describe(List<RunResult> runs) {
        if (runs.isEmpty()) {
            return "no run";
        }
        Set<String> strategies = new LinkedHashSet<>();
        Set<String> workloads = new LinkedHashSet<>();
        runs.forEach(r -> {
            strategies.add(r.strategy());
            workloads.add(r.workloadLine());
        });
        return Format.plural(runs.size(), "run") + " of " + String.join(", ", strategies) + " on "
                + String.join(", ", workloads);
    }

    private static Map<String, RunResult> index(List<RunResult> runs) {
        Map<String, RunResult> out = new LinkedHashMap<>();
        runs.forEach(r -> out.put(r.strategy() + "  " + r.workloadLine(), r));
        return out;
    }

    public List<Row> rows() {
        return rows;
    }

    public long regressions() {
        return rows.stream().filter(r -> !r.alerts.isEmpty()).count();
    }

    public void print(PrintWriter out) {
        String format = "%-16s %-40s %10s %10s %8s %10s %10s %10s %10s%n";
        out.printf(Locale.ROOT, format, "STRATEGY", "WORKLOAD", "OLD OPS/S", "NEW OPS/S", "CHANGE", "OLD SYS", "NEW SYS",
                "OLD RES", "NEW RES");
        for (Row r : rows) {
            out.printf(Locale.ROOT, format, r.strategy, r.workload,
                    r.old.failed() ? "failed" : Format.ops(r.old.opsPerSecMedian()),
                    r.now.failed() ? "failed" : Format.ops(r.now.opsPerSecMedian()),
                    r.old.failed() || r.now.failed() ? "-" : Format.signedPercent(r.opsChange),
                    r.oldSyscalls < 0 ? "-" : Format.count(r.oldSyscalls), r.newSyscalls < 0 ? "-" : Format.count(r.newSyscalls),
                    Format.bytes(r.old.memory().residentBytesPeak()), Format.bytes(r.now.memory().residentBytesPeak()));
        }
        onlyOld.forEach(k -> out.println("only in OLD: " + k));
        onlyNew.forEach(k -> out.println("only in NEW: " + k));
        out.println(LEGEND);
        out.println();
        long n = regressions();
        if (n == 0) {
            out.printf(Locale.ROOT, "No regression beyond %.1f%% (knob regression.threshold).%n", thresholdPercent);
        } else {
            for (Row r : rows) {
                for (String a : r.alerts) {
                    out.printf(Locale.ROOT, "⚠️ Regression Alert: %s on %s: %s (threshold %.1f%%)%n", r.strategy,
                            r.workload, a, thresholdPercent);
                }
            }
        }
        out.flush();
    }
}
