package dev.slabworks.harness.bench;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.MemoryUse;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Syscall;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.workload.Workload;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Runs a workload on contenders, one after another in this JVM: for each, {@code warmup}
 * repetitions (results dropped; they warm the JIT for this contender's code, each running the workload until it
 * made {@code warmup.min.ops} operations and ran {@code warmup.min.ms}; more while the JIT is still compiling, up to
 * {@code warmup.extra.max}) then {@code reps} measured ones. By default every repetition of a loop
 * gets a fresh allocator, made and closed outside the timed loop, so each repetition's syscalls are those of one
 * whole run, as in the seed report; knob {@code allocator.lifetime} keeps one instead ({@link AllocatorLifetime}). Each contender
 * runs its own copy of the workload's classes ({@link ProfileIsolation}), so the JIT's view of one
 * contender's loop is not shaped by the contenders that ran before it.
 *
 * <p>Memory: while a repetition runs, a {@link MemorySampler} reads what the allocator holds every
 * {@code memory.sample.ms}; the workload calls back when its loop ends, where the runner reads it once more (and
 * its stats, for the live bytes at that point); after the workload freed everything, the runner trims the
 * allocator and reads it a last time. The live bytes (requested, not yet freed) come from one untimed replay of
 * the workload through a {@link LiveBytesMeter}, once per workload: the same figures for every contender, and
 * exact, where a strategy's own count is of class-rounded bytes with a sampled peak and a native library has
 * none.
 */
public final class BenchRunner implements Bench {
    private final int reps;
    private final int warmup;
    private final Progress progress;
    /** Milliseconds the JIT has spent compiling so far, or -1 where the JVM does not say ({@link #jitMillis}). */
    private final LongSupplier jitMillis;
    /** The live bytes of each workload (by its line and knobs) replayed through a meter: the same for every contender. */
    private final Map<String, LiveBytesMeter.LiveBytes> replays = new HashMap<>();

    public BenchRunner(int reps, int warmup, Progress progress) {
        this(reps, warmup, progress, BenchRunner::jitMillis);
    }

    /** With the JIT's compile time read from {@code jitMillis} (tests: a JIT that stays busy for a while). */
    BenchRunner(int reps, int warmup, Progress progress, LongSupplier jitMillis) {
        checkRepetitions(reps, warmup);
        this.reps = reps;
        this.warmup = warmup;
        this.progress = progress;
        this.jitMillis = jitMillis;
    }

    /** HotSpot's compile time so far, summed over its compiler threads, or -1 where the JVM does not keep it. */
    static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    @Override
    public void plan(List<ContenderSetup> setups, Workload workload) {
        progress.plan(Bench.group(workload), setups.size() * (reps + warmup), Bench.opsPerRepetition(workload));
    }

    @Override
    public List<RunResult> run(List<ContenderSetup> setups, List<Workload> workloads) {
        List<RunResult> out = new ArrayList<>();
        for (Workload w : workloads) {
            for (ContenderSetup s : setups) {
                out.add(run(s, w).withVariant(s.variant()));
            }
        }
        progress.finish();
        return out;
    }

    RunResult run(ContenderSetup setup, Workload shared) {
        Contender contender = setup.contender();
        Knobs knobs = setup.knobs();
        Workload workload = ProfileIsolation.isolatedCopy(shared);
        String group = Bench.group(workload);
        String what = setup.label() + " " + group;
        double[] opsPerSec = new double[reps];
        long ops = 0;
        Measured[] measured = new Measured[reps];
        LiveBytesMeter.LiveBytes replayed;
        int warmups;
        try {
            // knobs can change what a workload asks for (hakmem-random-mixed's prefault), so a sweep point replays anew
            replayed = replays.computeIfAbsent(group + " " + knobs.effective(),
                    k -> LiveBytesMeter.replay(ProfileIsolation.isolatedCopy(shared), contender.factory().create(knobs)));
            warmups = measureAll(setup, workload, what, measured);
        } catch (RuntimeException | Error e) {
            return failed(contender, workload, knobs, warmup, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        for (int i = 0; i < reps; i++) {
            opsPerSec[i] = measured[i].outcome.opsPerSecond();
            ops = measured[i].outcome.ops();
        }
        Measured median = medianOf(measured);
        StatsSnapshot s = median.stats;
        boolean strategy = contender.kind() == Contender.Kind.STRATEGY;
        Map<String, RunResult.Syscall> syscalls = null;
        SyscallCauses causes = null;
        if (strategy) {
            causes = SyscallCauses.of(s);
            syscalls = new LinkedHashMap<>();
            for (Syscall c : CALLS) {
                syscalls.put(c.cName(), new RunResult.Syscall(s.get(Stat.callsOf(c)), s.get(Stat.nanosOf(c)) / 1e9));
            }
        }
        List<Repetition> repetitions = new ArrayList<>();
        for (Measured m : measured) {
            repetitions.add(m.repetition(strategy));
        }
        return new RunResult(contender.name(), contender.kind().key(), workload.name(), workload.args(),
                effective(knobs, workload), warmups, opsPerSec, ops, median.outcome.nanos() / 1e9, syscalls,
                s.get(Stat.PAGE_FAULTS_MINOR), s.get(Stat.PAGE_FAULTS_MAJOR), s.asMap(), null, new double[0],
                median.outcome.counts(), median.memory(contender, replayed), setup.variant(), repetitions, causes);
    }

    /** The repetition counts of a run, in this JVM or forked: at least one measured, no negative warm-up. */
    static void checkRepetitions(int reps, int warmup) {
        if (reps < 1) {
            throw new IllegalArgumentException("--reps must be >= 1, not " + reps);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0, not " + warmup);
        }
    }

    /** {@code knobs}' effective values, with the allocator lifetime AUTO chose for {@code workload}. */
    static Map<String, String> effective(Knobs knobs, Workload workload) {
        Map<String, String> out = new LinkedHashMap<>(knobs.effective());
        out.put(HarnessKnobs.ALLOCATOR_LIFETIME.key(), AllocatorLifetime.of(knobs, workload).name());
        return out;
    }

    /** The result of a run of {@code contender} on {@code workload} that failed with {@code message}. */
    static RunResult failed(Contender contender, Workload workload, Knobs knobs, int warmup, String message) {
        return new RunResult(contender.name(), contender.kind().key(), workload.name(), workload.args(),
                effective(knobs, workload), warmup, new double[0], 0, 0, null, 0, 0, Map.of(), message);
    }

    /**
     * The calls of a strategy's {@code syscalls}, per run and per repetition, in the results file's order (the OS
     * layer's), named as in C: every call the stats keep.
     */
    private static final List<Syscall> CALLS = Arrays.stream(Syscall.values())
            .filter(c -> Stat.callsOf(c) != null).toList();

    /**
     * The warm-ups, then the measured repetitions into {@code measured}, each on a fresh allocator or all on one
     * ({@link AllocatorLifetime}); returns the warm-ups made. A warm-up runs as a measured repetition does, the
     * memory sampler's thread and the readings after the loop included (code that, left out, the JIT compiled during
     * the first measured repetitions instead, beside a workload that fills the CPUs), until it has made
     * {@code warmup.min.ops} operations and run {@code warmup.min.ms}; after {@code warmup} of them, more follow, up to
     * {@code warmup.extra.max}, while the JIT compiled for longer than {@code warmup.jit.quiet.ms} during the last one.
     */
    private int measureAll(ContenderSetup setup, Workload workload, String what, Measured[] measured) {
        Contender contender = setup.contender();
        Knobs knobs = setup.knobs();
        String group = Bench.group(workload);
        long minOps = knobs.longValue(HarnessKnobs.WARMUP_MIN_OPS);
        long minNanos = knobs.longValue(HarnessKnobs.WARMUP_MIN_MS) * 1_000_000L;
        long extraMax = knobs.longValue(HarnessKnobs.WARMUP_EXTRA_MAX);
        long quietMillis = knobs.longValue(HarnessKnobs.WARMUP_JIT_QUIET_MS);
        boolean probe = knobs.flag(HarnessKnobs.BENCH_CPU_PROBE);
        if (probe) {
            CrossCpuProbe.warmUp(); // the JIT compiles the probe here, not beside the first measured repetition
        }
        // try-with-resources closes the kept allocator on every path, a failing close() suppressed under the run's own
        // failure; a null resource (a fresh allocator per repetition) is skipped
        try (Allocator kept = AllocatorLifetime.of(knobs, workload) == AllocatorLifetime.RUN
                ? contender.factory().create(knobs) : null) {
            int warmups = 0;
            boolean compiling = false;
            while (warmups < warmup || compiling && warmups < warmup + extraMax) {
                if (warmups >= warmup) {
                    progress.plan(group, 1, Bench.opsPerRepetition(workload)); // a step more, not a later one's
                }
                progress.step(group, what + ": warm-up " + (warmups + 1)
                        + (warmups < warmup ? "/" + warmup : ", the JIT still compiling"));
                long jitBefore = jitMillis.getAsLong();
                long done = 0;
                long ops;
                long start = System.nanoTime();
                do { // run as a measured repetition runs (the memory sampler, the stats, trim), its figures dropped
                    ops = (kept != null ? onKept(kept, knobs, workload) : once(contender, knobs, workload)).outcome.ops();
                    done += ops;
                } while (ops > 0 && (done < minOps || System.nanoTime() - start < minNanos)); // 0 ops would never get there
                compiling = jitBefore >= 0 && jitMillis.getAsLong() - jitBefore > quietMillis;
                warmups++;
            }
            for (int i = 0; i < reps; i++) {
                progress.step(group, what + ": repetition " + (i + 1) + "/" + reps);
                double crossCpu = probe ? CrossCpuProbe.roundTripNanos() : Double.NaN;
                measured[i] = (kept != null ? onKept(kept, knobs, workload) : once(contender, knobs, workload))
                        .probedAt(crossCpu);
            }
            if (kept != null) {
                kept.trim(); // once, as a process would at the end: between repetitions it would undo the warmth
                MemoryUse trimmed = kept.memoryUse();
                for (int i = 0; i < reps; i++) {
                    measured[i] = measured[i].trimmedTo(trimmed);
                }
            }
            return warmups;
        }
    }

    /** A repetition on a fresh allocator: its figures are a whole run's, the allocator's setup included. */
    private static Measured once(Contender contender, Knobs knobs, Workload workload) {
        try (Allocator allocator = contender.factory().create(knobs)) {
            Measured m = measure(allocator, knobs, workload, null);
            allocator.trim();
            return m.trimmedTo(allocator.memoryUse());
        }
    }

    /** A repetition on an allocator kept through the run: its counters are what it made itself; not trimmed. */
    private static Measured onKept(Allocator allocator, Knobs knobs, Workload workload) {
        return measure(allocator, knobs, workload, allocator.stats());
    }

    private static Measured measure(Allocator allocator, Knobs knobs, Workload workload, StatsSnapshot before) {
        MemorySampler sampler = MemorySampler.start(allocator, knobs.longValue(HarnessKnobs.MEMORY_SAMPLE_MS));
        LoopEnd end = new LoopEnd(sampler);
        Workload.Outcome outcome;
        try {
            outcome = workload.run(allocator, end);
        } finally {
            sampler.stop();
        }
        StatsSnapshot stats = allocator.stats(); // before trim: trim's calls are not the run's
        return new Measured(outcome, before == null ? stats : stats.since(before), sampler, end, null, Double.NaN);
    }

    /** Called by the workload when its loop ends: stops the sampler and reads the allocator there. */
    private static final class LoopEnd implements Runnable {
        private final MemorySampler sampler;
        private MemoryUse use;

        LoopEnd(MemorySampler sampler) {
            this.sampler = sampler;
        }

        @Override
        public void run() {
            sampler.stop();
            use = sampler.read();
        }

        boolean reached() {
            return use != null;
        }
    }

    /** The repetition at the median throughput (the lower middle one for an even count). */
    private static Measured medianOf(Measured[] measured) {
        Measured[] sorted = measured.clone();
        Arrays.sort(sorted, (a, b) -> Double.compare(a.outcome.opsPerSecond(), b.outcome.opsPerSecond()));
        return sorted[(sorted.length - 1) / 2];
    }

    private record Measured(Workload.Outcome outcome, StatsSnapshot stats, MemorySampler sampler, LoopEnd end,
                            MemoryUse trimmed, double crossCpuNanos) {
        Measured trimmedTo(MemoryUse use) {
            return new Measured(outcome, stats, sampler, end, use, crossCpuNanos);
        }

        Measured probedAt(double nanos) {
            return new Measured(outcome, stats, sampler, end, trimmed, nanos);
        }

        Repetition repetition(boolean strategy) {
            Map<String, Long> calls = null;
            if (strategy) {
                calls = new LinkedHashMap<>();
                for (Syscall c : CALLS) {
                    calls.put(c.cName(), stats.get(Stat.callsOf(c)));
                }
            }
            return new Repetition(outcome.opsPerSecond(), calls,
                    sampler.sampling() ? sampler.residentPeak() : MemoryFigures.UNKNOWN, outcome.counts(), crossCpuNanos);
        }

        MemoryFigures memory(Contender contender, LiveBytesMeter.LiveBytes replayed) {
            long unknown = MemoryFigures.UNKNOWN;
            boolean ended = end.reached();
            boolean sampled = sampler.sampling();
            long mappedPeak = contender.kind() == Contender.Kind.STRATEGY ? stats.get(Stat.MAPPED_BYTES_PEAK)
                    : sampled ? sampler.mappedPeak() : unknown;
            return new MemoryFigures(replayed.peak(), replayed.end(), mappedPeak, ended ? end.use.mappedBytes() : unknown,
                    trimmed.mappedBytes(), sampled ? sampler.residentPeak() : unknown,
                    ended ? end.use.residentBytes() : unknown, trimmed.residentBytes(), sampler.samples(),
                    sampler.bound(), sampler.source());
        }
    }
}
