package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.MedianInterval;
import dev.slabworks.harness.bench.Repetition;
import dev.slabworks.harness.bench.RunResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the side-by-side table, the HTML report and {@code compare} say of the host's cross-CPU round trip
 * ({@code bench.cpu.probe}, recorded with every repetition): its range over a workload's runs, each JVM's own figure
 * beside its median, a warning when it moved by {@link #CHANGE} times or more while the workload ran or between two
 * files, and then each contender's figures within each host state, since multi-thread figures move with it
 * (DESIGN §19, "Slow periods").
 */
final class CrossCpuLines {
    /** A host whose round trip moved this many times over runs them in two states. */
    static final double CHANGE = 2.0;
    /** A probe more than this many times a state's lowest starts another host state ({@link #states}). */
    static final double SAME_STATE = 1.5;

    private CrossCpuLines() {
    }

    /** Every probe of {@code rows}' repetitions (NaN ones left out). */
    static double[] probes(List<RunResult> rows) {
        return rows.stream().filter(r -> !r.failed()).flatMap(r -> r.repetitions().stream())
                .mapToDouble(Repetition::crossCpuNanos).filter(v -> !Double.isNaN(v)).toArray();
    }

    /**
     * Each JVM's median probe for a contender run in JVMs of its own ({@code --forks}: its repetitions are pooled JVM
     * after JVM, as many from each); empty when it was not forked or not probed.
     */
    static double[] perJvm(RunResult r) {
        int jvms = r.forkMedians().length;
        List<Repetition> reps = r.repetitions();
        if (jvms == 0 || reps.isEmpty() || reps.size() % jvms != 0) {
            return new double[0];
        }
        int each = reps.size() / jvms;
        double[] out = new double[jvms];
        for (int j = 0; j < jvms; j++) {
            double[] mine = reps.subList(j * each, (j + 1) * each).stream().mapToDouble(Repetition::crossCpuNanos)
                    .filter(v -> !Double.isNaN(v)).toArray();
            if (mine.length == 0) {
                return new double[0];
            }
            out[j] = median(mine);
        }
        return out;
    }

    /** " (cross-CPU round trip 66 330 68 ns)" after a contender's JVM medians, or "" when not probed. */
    static String jvmSuffix(RunResult r) {
        double[] each = perJvm(r);
        if (each.length == 0) {
            return "";
        }
        StringBuilder s = new StringBuilder(" (cross-CPU round trip");
        for (double v : each) {
            s.append(' ').append(String.format(Locale.ROOT, "%.0f", v));
        }
        return s.append(" ns)").toString();
    }

    /** "host: cross-CPU round trip 62-87 ns (median 66) before this workload's repetitions", or null if not probed. */
    static String hostLine(List<RunResult> rows) {
        double[] all = probes(rows);
        if (all.length == 0) {
            return null;
        }
        DoubleSummaryStatistics range = Arrays.stream(all).summaryStatistics();
        return String.format(Locale.ROOT, "host: cross-CPU round trip %.0f-%.0f ns (median %.0f) before this "
                + "workload's repetitions (knob bench.cpu.probe)", range.getMin(), range.getMax(), median(all));
    }

    /** {@link #hostLine} and {@link #changeWarning}, those that apply: what a report says under a workload's table. */
    static List<String> summary(List<RunResult> rows) {
        return java.util.stream.Stream.of(hostLine(rows), changeWarning(rows)).filter(Objects::nonNull).toList();
    }

    /** A warning when the round trip moved {@link #CHANGE} times or more over the workload's runs; else null. */
    static String changeWarning(List<RunResult> rows) {
        double[] all = probes(rows);
        if (all.length < 2) {
            return null;
        }
        DoubleSummaryStatistics range = Arrays.stream(all).summaryStatistics();
        double min = range.getMin();
        double max = range.getMax();
        if (min <= 0 || max < CHANGE * min) {
            return null;
        }
        return String.format(Locale.ROOT, "warning: the host's cross-CPU round trip moved from %.0f to %.0f ns (%.1fx) "
                + "while this workload ran: threads that pass blocks between CPUs slow down with it, so multi-thread "
                + "figures span two host states; compare runs of one state or run again "
                + "(DESIGN §19, \"Slow periods\").",
                min, max, max / min);
    }

    /**
     * The host states a workload's probes fall into, as {@code [lowest, highest]} pairs from the fastest: the sorted
     * probes split wherever one is more than {@link #SAME_STATE} times the lowest of the state so far (against the
     * one before, a slow drift would make one state of everything).
     */
    static List<double[]> states(double[] probes) {
        double[] sorted = probes.clone();
        Arrays.sort(sorted);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] > SAME_STATE * out.getLast()[0]) {
                out.add(new double[] {sorted[i], sorted[i]});
            } else {
                out.getLast()[1] = sorted[i];
            }
        }
        return out;
    }

    /**
     * When the round trip moved ({@link #changeWarning}): for each host state ({@link #states}), each contender's
     * median over only its repetitions probed in that state, and its ratio to glibc's over the same, so that the
     * contenders compare within one state; empty when the host stayed in one. Which state is fast for a workload is
     * for its figures to say: a shorter round trip is not always the faster host for two busy threads.
     */
    static List<String> byState(List<RunResult> rows, int width) {
        if (changeWarning(rows) == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (double[] state : states(probes(rows))) {
            double lo = state[0];
            double hi = state[1];
            String range = Math.round(lo) == Math.round(hi) ? String.format(Locale.ROOT, "%.0f", lo)
                    : String.format(Locale.ROOT, "%.0f-%.0f", lo, hi);
            lines.add("repetitions probed at " + range + " ns only:");
            double glibc = rows.stream().filter(r -> !r.failed() && r.strategy().equals("glibc"))
                    .mapToDouble(r -> medianWithin(r, lo, hi)).findFirst().orElse(Double.NaN);
            for (RunResult r : rows) {
                double[] within = r.failed() ? new double[0] : opsWithin(r, lo, hi);
                if (within.length == 0) {
                    continue;
                }
                double m = median(within);
                String ratio = Double.isNaN(glibc) ? "" : String.format(Locale.ROOT, "  %.2fx vs glibc", m / glibc);
                lines.add(String.format(Locale.ROOT, "  %-" + width + "s %10s  %d of %d repetitions%s",
                        r.label(), Format.ops(m), within.length, r.repetitions().size(), ratio));
            }
        }
        return lines;
    }

    /** The median ops/s of {@code r}'s repetitions probed within {@code [lo, hi]}; NaN when there is none. */
    private static double medianWithin(RunResult r, double lo, double hi) {
        double[] in = opsWithin(r, lo, hi);
        return in.length == 0 ? Double.NaN : median(in);
    }

    /** The ops/s of {@code r}'s repetitions probed within {@code [lo, hi]}. */
    private static double[] opsWithin(RunResult r, double lo, double hi) {
        return r.repetitions().stream().filter(rep -> rep.crossCpuNanos() >= lo && rep.crossCpuNanos() <= hi)
                .mapToDouble(Repetition::opsPerSec).toArray();
    }

    /**
     * For {@code compare}: a warning when the two files' median round trips differ {@link #CHANGE} times or more (the
     * runs come from two host states), else null; null too when either file has no probes.
     */
    static String betweenFiles(List<RunResult> old, List<RunResult> now) {
        double[] o = probes(old);
        double[] n = probes(now);
        if (o.length == 0 || n.length == 0) {
            return null;
        }
        double om = median(o);
        double nm = median(n);
        if (Math.max(om, nm) < CHANGE * Math.min(om, nm)) {
            return null;
        }
        return String.format(Locale.ROOT, "the files ran in different host states: a cross-CPU round trip of %.0f ns "
                + "(OLD) and %.0f ns (NEW), medians; multi-thread figures move with it (DESIGN §19, \"Slow periods\")",
                om, nm);
    }

    private static double median(double[] values) {
        return MedianInterval.of(values).median();
    }
}
