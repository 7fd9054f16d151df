package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.MedianInterval;
import dev.slabworks.harness.bench.Repetition;
import dev.slabworks.harness.bench.RunResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the side-by-side table says of the host's cross-CPU round trip ({@code bench.cpu.probe}, recorded with every
 * repetition): its range over a workload's runs, each JVM's own figure beside its median, and a warning when it moved
 * by {@link #CHANGE} times or more while the workload ran, or between two files {@code compare} reads, since every
 * multi-thread figure moves with it (DESIGN §19, "Slow periods").
 */
final class CrossCpuLines {
    /** A host whose round trip moved this many times over runs them in two states. */
    static final double CHANGE = 2.0;
    /** A repetition probed at most this many times the workload's fastest probe ran in the fastest host state. */
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
        double min = Arrays.stream(all).min().orElseThrow();
        double max = Arrays.stream(all).max().orElseThrow();
        return String.format(Locale.ROOT, "host: cross-CPU round trip %.0f-%.0f ns (median %.0f) before this "
                + "workload's repetitions (knob bench.cpu.probe)", min, max, median(all));
    }

    /** A warning when the round trip moved {@link #CHANGE} times or more over the workload's runs; else null. */
    static String changeWarning(List<RunResult> rows) {
        double[] all = probes(rows);
        if (all.length < 2) {
            return null;
        }
        double min = Arrays.stream(all).min().orElseThrow();
        double max = Arrays.stream(all).max().orElseThrow();
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
     * When the round trip moved ({@link #changeWarning}): each contender's median over only the repetitions probed in
     * the fastest host state, and its ratio to glibc's median over the same, so that contenders compare within one
     * state; empty when the host stayed in one state. Lines: a heading, then one per contender.
     */
    static List<String> fastestState(List<RunResult> rows, int width) {
        if (changeWarning(rows) == null) {
            return List.of();
        }
        double bound = SAME_STATE * Arrays.stream(probes(rows)).min().orElseThrow();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "in the fastest host state only (repetitions probed at up to %.0f ns, "
                + "%.1fx the fastest probe):", bound, SAME_STATE));
        double glibc = rows.stream().filter(r -> !r.failed() && r.strategy().equals("glibc"))
                .mapToDouble(r -> medianWithin(r, bound)).findFirst().orElse(Double.NaN);
        for (RunResult r : rows) {
            if (r.failed()) {
                continue;
            }
            long n = r.repetitions().stream().filter(rep -> rep.crossCpuNanos() <= bound).count();
            double m = medianWithin(r, bound);
            String ratio = Double.isNaN(m) || Double.isNaN(glibc) ? "-"
                    : String.format(Locale.ROOT, "%.2fx", m / glibc);
            lines.add(String.format(Locale.ROOT, "  %-" + width + "s %10s  %d of %d repetitions  %s vs glibc",
                    r.label(), Double.isNaN(m) ? "-" : Format.ops(m), n, r.repetitions().size(), ratio));
        }
        return lines;
    }

    /** The median ops/s of {@code r}'s repetitions probed at or below {@code bound}; NaN when there is none. */
    private static double medianWithin(RunResult r, double bound) {
        double[] in = r.repetitions().stream().filter(rep -> rep.crossCpuNanos() <= bound)
                .mapToDouble(Repetition::opsPerSec).toArray();
        return in.length == 0 ? Double.NaN : median(in);
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
