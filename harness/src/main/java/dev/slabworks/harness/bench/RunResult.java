package dev.slabworks.harness.bench;

import java.util.List;
import java.util.Map;

/**
 * One contender on one workload: every repetition's throughput, and the syscalls, page faults and
 * stats of the median repetition (each repetition runs on a fresh allocator, so those are the
 * counts of one run, like the seed report's). One {@code runs[]} entry of a results file
 * (docs/DESIGN.md §18).
 *
 * @param warmup      the warm-up repetitions made: {@code --warmup}, plus those added while the JIT was still
 *                    compiling ({@code warmup.extra.max}); with {@code --forks}, the middle JVM's; for a failed run,
 *                    the warm-ups asked for
 * @param syscalls    null for baselines (the OS layer cannot see their calls) and for failed runs
 * @param error       why the run failed, or null
 * @param forkMedians each JVM's own median when the contender ran in JVMs of its own ({@code --forks}); else empty
 * @param workloadCounts what the workload counted besides ops in the median repetition (its phases, failed
 *                       allocations, remote sends and share, ...; {@code Workload.Outcome#counts}); may be empty
 * @param memory      live, mapped and resident bytes of the median repetition ({@link MemoryFigures#NONE} when
 *                    unknown)
 * @param variant     the row's label, sweep point and knob sources ({@link Variant#of} the strategy for a plain run)
 * @param repetitions each measured repetition's ops/s, syscalls and resident peak, in the order they ran (pooled
 *                    over the JVMs with {@code --forks}); empty in files written before they were kept
 * @param syscallsByCause the median repetition's calls by cause, and close's apart ({@link SyscallCauses}); null
 *                    where {@code syscalls} is null and in files written before causes were counted
 */
public record RunResult(String strategy, String kind, String workload, List<String> args, Map<String, String> knobs,
                        int warmup, double[] opsPerSec, long ops, double medianSeconds,
                        Map<String, Syscall> syscalls, long minorFaults, long majorFaults,
                        Map<String, Long> stats, String error, double[] forkMedians,
                        Map<String, Number> workloadCounts, MemoryFigures memory, Variant variant,
                        List<Repetition> repetitions, SyscallCauses syscallsByCause) {

    public RunResult {
        repetitions = List.copyOf(repetitions);
    }

    /** A run whose calls were not counted by cause (a baseline's, or a results file written before they were). */
    public RunResult(String strategy, String kind, String workload, List<String> args, Map<String, String> knobs,
                     int warmup, double[] opsPerSec, long ops, double medianSeconds,
                     Map<String, Syscall> syscalls, long minorFaults, long majorFaults,
                     Map<String, Long> stats, String error, double[] forkMedians,
                     Map<String, Number> workloadCounts, MemoryFigures memory, Variant variant,
                     List<Repetition> repetitions) {
        this(strategy, kind, workload, args, knobs, warmup, opsPerSec, ops, medianSeconds, syscalls, minorFaults,
                majorFaults, stats, error, forkMedians, workloadCounts, memory, variant, repetitions, null);
    }

    /** A plain run (labelled by its strategy) without per-repetition figures. */
    public RunResult(String strategy, String kind, String workload, List<String> args, Map<String, String> knobs,
                     int warmup, double[] opsPerSec, long ops, double medianSeconds,
                     Map<String, Syscall> syscalls, long minorFaults, long majorFaults,
                     Map<String, Long> stats, String error, double[] forkMedians,
                     Map<String, Number> workloadCounts, MemoryFigures memory) {
        this(strategy, kind, workload, args, knobs, warmup, opsPerSec, ops, medianSeconds, syscalls, minorFaults,
                majorFaults, stats, error, forkMedians, workloadCounts, memory, Variant.of(strategy), List.of());
    }

    /** A run in this JVM (no forks) whose workload counted nothing besides, with no memory figures. */
    public RunResult(String strategy, String kind, String workload, List<String> args, Map<String, String> knobs,
                     int warmup, double[] opsPerSec, long ops, double medianSeconds,
                     Map<String, Syscall> syscalls, long minorFaults, long majorFaults,
                     Map<String, Long> stats, String error) {
        this(strategy, kind, workload, args, knobs, warmup, opsPerSec, ops, medianSeconds, syscalls, minorFaults,
                majorFaults, stats, error, new double[0], Map.of(), MemoryFigures.NONE);
    }

    /**
     * The runs of one contender on one workload in several JVMs as one result: every JVM's repetitions pooled
     * (so the median is over all of them), each JVM's median kept in {@link #forkMedians}, and the syscalls,
     * page faults, stats and memory of the JVM whose median is the middle one (the lower middle for an even count). The
     * first failed run, if any, is the result.
     */
    public static RunResult pooled(List<RunResult> forks) {
        if (forks.isEmpty()) {
            throw new IllegalArgumentException("no run to pool");
        }
        for (RunResult f : forks) {
            if (f.failed()) {
                return f;
            }
        }
        double[] all = forks.stream().flatMapToDouble(f -> java.util.Arrays.stream(f.opsPerSec())).toArray();
        double[] medians = forks.stream().mapToDouble(RunResult::opsPerSecMedian).toArray();
        List<RunResult> byMedian = new java.util.ArrayList<>(forks);
        byMedian.sort(java.util.Comparator.comparingDouble(RunResult::opsPerSecMedian));
        RunResult middle = byMedian.get((byMedian.size() - 1) / 2);
        List<Repetition> repetitions = forks.stream().flatMap(f -> f.repetitions().stream()).toList();
        return new RunResult(middle.strategy, middle.kind, middle.workload, middle.args, middle.knobs, middle.warmup,
                all, middle.ops, middle.medianSeconds, middle.syscalls, middle.minorFaults, middle.majorFaults,
                middle.stats, null, medians, middle.workloadCounts, middle.memory, middle.variant, repetitions,
                middle.syscallsByCause);
    }

    /** This result as the row {@code v} names. */
    public RunResult withVariant(Variant v) {
        return new RunResult(strategy, kind, workload, args, knobs, warmup, opsPerSec, ops, medianSeconds, syscalls,
                minorFaults, majorFaults, stats, error, forkMedians, workloadCounts, memory, v, repetitions,
                syscallsByCause);
    }

    /** The row's name: the strategy's, or the one a sweep or an experiment gave it. */
    public String label() {
        return variant.label();
    }

    /** The median ops/s and its 95 % confidence interval (distribution-free; see {@link MedianInterval}). */
    public MedianInterval opsPerSecInterval() {
        return MedianInterval.of(opsPerSec);
    }

    /** (max - min) / median of the JVMs' own medians; 0 with fewer than two. */
    public double forkSpread() {
        return spreadOf(forkMedians, opsPerSecMedian());
    }

    /**
     * The p of the JVMs differing by more than their repetitions' scatter ({@link JvmEffect}); NaN without
     * {@code --forks}, or with single repetitions.
     */
    public double forkSpreadP() {
        return JvmEffect.p(opsPerSec, forkMedians.length);
    }

    /** Whether {@link #forkSpreadP} is a figure, known without computing it. */
    public boolean hasForkSpreadP() {
        return JvmEffect.applies(opsPerSec.length, forkMedians.length);
    }

    /**
     * (max - min) / {@code median} of {@code values}, the spread every table prints (of repetitions, of JVMs, of
     * JMH forks); 0 when there are no values or the median is 0.
     */
    public static double spreadOf(double[] values, double median) {
        if (values.length == 0 || median == 0) {
            return 0;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return (max - min) / median;
    }

    /**
     * The four syscalls the tables, totals and causes count, in the results file's order. A strategy's
     * {@code syscalls} also holds {@code membarrier}, on its own: the handshakes of first remote frees, whose number
     * depends on how the threads interleave.
     */
    public static final List<String> SYSCALLS = List.of("mmap", "munmap", "madvise", "mincore");

    public record Syscall(long count, double seconds) {
    }

    public boolean failed() {
        return error != null;
    }

    /** Median throughput over the repetitions (the mean of the middle two for an even count). */
    public double opsPerSecMedian() {
        if (opsPerSec.length == 0) {
            return 0;
        }
        double[] s = opsPerSec.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public double opsPerSecMin() {
        return java.util.Arrays.stream(opsPerSec).min().orElse(0);
    }

    public double opsPerSecMax() {
        return java.util.Arrays.stream(opsPerSec).max().orElse(0);
    }

    /** (max - min) / median of the repetitions, the spread a table prints. */
    public double spread() {
        return spreadOf(opsPerSec, opsPerSecMedian());
    }

    /**
     * mmap + munmap + madvise + mincore of one run ({@link #SYSCALLS}), or -1 when unknown. Not {@code membarrier}:
     * results files before it was counted lack it, and its count follows the threads' timing (see {@link #SYSCALLS}).
     */
    public long syscallCount() {
        return syscalls == null ? -1 : SYSCALLS.stream().mapToLong(k -> {
            Syscall c = syscalls.get(k);
            return c == null ? 0 : c.count();
        }).sum();
    }

    /** A stats row by its key, 0 when absent. */
    public long stat(String key) {
        return stats == null ? 0 : stats.getOrDefault(key, 0L);
    }

    /** The workload and its arguments as one string: {@code random-mixed 200000 4096 1234567 16 1024}. */
    public String workloadLine() {
        return args.isEmpty() ? workload : workload + " " + String.join(" ", args);
    }
}
