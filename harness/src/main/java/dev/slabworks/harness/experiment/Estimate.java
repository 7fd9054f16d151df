package dev.slabworks.harness.experiment;

import dev.slabworks.harness.bench.Bench;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.workload.Larson;
import dev.slabworks.harness.workload.Workload;

import java.time.Duration;
import java.util.List;

/**
 * How long a run should take, said before it starts: every row's warm-up and measured repetitions of every
 * workload at {@link #NANOS_PER_OP} per op plus {@link #NANOS_PER_REPETITION} for making, sampling, trimming and
 * closing each allocator (a warm-up at least {@code warmup.min.ms} at its default), one untimed replay of each workload per row for its live bytes, and with
 * {@code --forks} a JVM start for each fork. The constants are what runs on a 2-vCPU VM took (a strategy runs
 * the seed's and the anchors' loops at 15-60 M ops/s; a whole repetition of the seed benchmark with its
 * allocator takes about 10 ms): an estimate to plan by, which the progress line refines once steps are done.
 */
public final class Estimate {
    static final double NANOS_PER_OP = 40;
    static final double NANOS_PER_REPETITION = 10e6;
    static final double NANOS_PER_JVM = 1.5e9;
    static final double WARMUP_MIN_NANOS = Long.parseLong(HarnessKnobs.WARMUP_MIN_MS.defaultText()) * 1e6;

    /** A workload with its repetition counts. */
    public record Step(Workload workload, int reps, int warmup) {
    }

    private Estimate() {
    }

    /** The time {@code rows} rows take on {@code steps}, in this JVM ({@code forks} 0) or in {@code forks} JVMs each. */
    public static Duration of(int rows, List<Step> steps, int forks) {
        double nanos = 0;
        for (Step s : steps) {
            double repetition = repetitionNanos(s.workload());
            double perJvm = (s.reps() + 1) * repetition + s.warmup() * Math.max(repetition, WARMUP_MIN_NANOS);
            nanos += rows * (forks == 0 ? perJvm : forks * (perJvm + NANOS_PER_JVM));
        }
        return Duration.ofNanos((long) nanos);
    }

    /** One repetition of {@code w}: its ops at the usual pace, or its duration for a workload that runs for a time. */
    static double repetitionNanos(Workload w) {
        if (w instanceof Larson l) {
            return l.durationNanos() + NANOS_PER_REPETITION;
        }
        return Bench.opsPerRepetition(w) * NANOS_PER_OP + NANOS_PER_REPETITION;
    }
}
