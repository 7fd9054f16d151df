package dev.slabworks.harness.knobs;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.KnobTable;

import java.util.List;

/**
 * The harness's own knobs: how runs are measured and judged, and the modes of the team's benchmark loop. A
 * package every harness package may use (docs/DESIGN.md §3.4); the program's registry puts them after api's
 * and before the strategies' ({@code wiring.Strategies#knobRegistry}).
 */
public final class HarnessKnobs {
    private static final KnobTable TABLE = new KnobTable();

    // ---- comparing and judging runs ----
    public static final Knob REGRESSION_THRESHOLD = TABLE.decimal("regression.threshold", "5").range(0, 1000).unit("%")
            .meaning("compare flags a change in ops/s, syscalls or resident peak worse than this as a regression (ops/s: "
                    + "only when the two medians' 95 % confidence intervals do not overlap either).");
    public static final Knob SPREAD_WARNING = TABLE.decimal("spread.warning", "25").range(0, 1000).unit("%")
            .meaning("bench, profile and the default run warn under their table when a contender's spread (max - min "
                    + "over the median of its repetitions) is above this: its figures are too noisy to compare closely.");
    public static final Knob SWEEP_LIMIT = TABLE.integer("sweep.limit", 64).range(1, 100_000).unit("rows")
            .meaning("bench, profile and run refuse a sweep of more rows than this (every swept value of every knob "
                    + "times every contender), before anything runs: a range written wrong would run for hours.");
    public static final Knob STRESS_THREADS = TABLE.integer("stress.threads", 4).range(1, 1024).unit("threads")
            .meaning("Threads of the multi-thread stress (./slabworks stress): each allocates, hands blocks to the "
                    + "others, frees theirs.");

    // ---- repetitions (bench, profile) ----
    public static final Knob WARMUP_MIN_OPS = TABLE.integer("warmup.min.ops", 200_000).range(0, Integer.MAX_VALUE).unit("ops")
            .meaning("bench and profile repeat a warm-up repetition's workload until it has made at least this many "
                    + "operations: the JIT compiles by call counts, so ten warm-ups of a trace of a few hundred calls "
                    + "would leave the measured ones interpreted. 0: a warm-up is one run of the workload.");
    public static final Knob WARMUP_MIN_MS = TABLE.integer("warmup.min.ms", 100).range(0, 600_000).unit("ms")
            .meaning("bench and profile also repeat a warm-up repetition's workload until it has run at least this "
                    + "long: the JIT compiles in the background, and C2's compile of a replay loop with a strategy "
                    + "inlined took 300 ms on 2 vCPUs, longer than ten warm-ups of 200,000 trace calls, so the measured "
                    + "repetitions ran C1's profiling code. 0: no time floor.");
    public static final Knob WARMUP_EXTRA_MAX = TABLE.integer("warmup.extra.max", 8).range(0, 1000).unit("warm-ups")
            .meaning("bench, profile and run add a warm-up repetition, up to this many beyond --warmup, while HotSpot's "
                    + "compilers spent more than warmup.jit.quiet.ms compiling during the last one: the JIT compiles in "
                    + "the background, and a workload whose threads fill the CPUs leaves it little time (on larson, "
                    + "2 threads on 2 vCPUs, mimalloc-like's framed free was still C1's profiling code 4 s in, and after "
                    + "two warm-ups the first measured repetitions of every strategy read 10-20 % below the rest). The "
                    + "results file gives the warm-ups made. 0: exactly --warmup.");
    public static final Knob WARMUP_JIT_QUIET_MS = TABLE.integer("warmup.jit.quiet.ms", 10).range(0, 600_000).unit("ms")
            .meaning("The compile time during a warm-up (CompilationMXBean, summed over the compiler threads) at or "
                    + "below which the JIT counts as done: see warmup.extra.max.");
    public static final Knob ALLOCATOR_LIFETIME = TABLE.choice("allocator.lifetime", "AUTO", "AUTO", "REPETITION", "RUN")
            .meaning("How long a strategy's allocator serves in bench and profile. REPETITION: a fresh one per "
                    + "repetition, so a repetition's syscalls and faults are a whole run's, start-up included (the seed "
                    + "report's count). RUN: one through a contender's warm-ups and repetitions, warm like the native "
                    + "libraries, each repetition counting its own calls and trim() once at the end. AUTO: RUN for "
                    + "trace-replay, REPETITION for the loops.");

    // ---- hakmem-random-mixed: the phases and modes of the seed's own benchmark (bench_random_mixed.c) ----
    public static final Knob BENCH_WARMUP = TABLE.integer("bench.warmup", 0).range(0, Integer.MAX_VALUE).unit("iterations")
            .environment("HAKMEM_BENCH_WARMUP")
            .meaning("hakmem-random-mixed: untimed warm-up iterations with the loop's own seed, drained before the "
                    + "prefault (not the harness's --warmup repetitions).");
    public static final Knob BENCH_PREFAULT = TABLE.integer("bench.prefault", -1).range(-1, Integer.MAX_VALUE).unit("iterations")
            .environment("HAKMEM_BENCH_PREFAULT")
            .meaning("hakmem-random-mixed: untimed prefault iterations with seed SEED + 0xDEADBEEF, their blocks left "
                    + "live for the timed loop; -1 is CYCLES / 10, the C benchmark's default.");
    public static final Knob BENCH_C5_ONLY = TABLE.flag("bench.c5.only", false).environment("HAKMEM_BENCH_C5_ONLY")
            .meaning("hakmem-random-mixed: every block is 256 bytes (MIN and MAX both 256; wins over bench.c6.only and "
                    + "bench.c7.only).");
    public static final Knob BENCH_C6_ONLY = TABLE.flag("bench.c6.only", false).environment("HAKMEM_BENCH_C6_ONLY")
            .meaning("hakmem-random-mixed: every block is 512 bytes (wins over bench.c7.only).");
    public static final Knob BENCH_C7_ONLY = TABLE.flag("bench.c7.only", false).environment("HAKMEM_BENCH_C7_ONLY")
            .meaning("hakmem-random-mixed: every block is 1024 bytes.");

    // ---- memory measurement (bench, profile) ----
    public static final Knob MEMORY_SAMPLE_MS = TABLE.integer("memory.sample.ms", 5).range(0, 60_000).unit("ms")
            .meaning("How often bench and profile read a contender's resident memory while its loop runs, for the "
                    + "resident peak (and at least 200 times as long as a reading takes); 0 switches the sampler off (no "
                    + "peak; the readings at the loop's end and after trim() stay).");

    // ---- the host (bench, profile) ----
    public static final Knob BENCH_CPU_PROBE = TABLE.flag("bench.cpu.probe", true)
            .meaning("bench and profile time a cache line's round trip between two threads before each measured "
                    + "repetition (a few ms, untimed) and record it with the repetition (crossCpuNanos): the host's price "
                    + "for moving a line between CPUs, which on a virtual machine can change five-fold for minutes and "
                    + "moves every multi-thread figure with it. false: not measured.");

    private HarnessKnobs() {
    }

    /** These knobs, in declaration order. */
    public static List<Knob> all() {
        return TABLE.knobs();
    }
}
