package dev.slabworks.harness.experiment;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.bench.Bench;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.workload.Larson;
import dev.slabworks.harness.workload.Workload;

import java.time.Duration;
import java.util.List;

/**
 * How long a run should take, said before it starts: every row's warm-up and measured repetitions of every
 * workload at {@link #NANOS_PER_OP} per op plus {@link #NANOS_PER_REPETITION} for making, sampling, trimming and
 * closing each allocator, one untimed replay of each workload per row for its live bytes, and with {@code --forks}
 * a JVM start for each fork. A warm-up repeats the workload, as the bench does, until it has made the row's
 * {@code warmup.min.ops} operations and run its {@code warmup.min.ms}. The constants are what runs on a 2-vCPU VM
 * took (a strategy runs the seed's and the anchors' loops at 15-60 M ops/s; a whole repetition of the seed
 * benchmark with its allocator takes about 10 ms): an estimate to plan by, which the progress line refines once
 * steps are done.
 */
public final class Estimate {
    static final double NANOS_PER_OP = 40;
    static final double NANOS_PER_REPETITION = 10e6;
    static final double NANOS_PER_JVM = 1.5e9;

    /** A workload with its repetition counts. */
    public record Step(Workload workload, int reps, int warmup) {
    }

    private Estimate() {
    }

    /**
     * The time rows of these knobs take on {@code steps}, in this JVM ({@code forks} 0) or in {@code forks} JVMs each:
     * each row's warm-ups follow its own {@code warmup.min.ops} and {@code warmup.min.ms} (a sweep or {@code --set}
     * may change them). Warm-ups added while the JIT is still compiling ({@code warmup.extra.max}) are not counted: a
     * run can take longer than this says, by at most that many warm-ups per contender.
     */
    public static Duration of(List<Knobs> rows, List<Step> steps, int forks) {
        double nanos = 0;
        for (Knobs row : rows) {
            long minOps = row.longValue(HarnessKnobs.WARMUP_MIN_OPS);
            double minNanos = row.longValue(HarnessKnobs.WARMUP_MIN_MS) * 1e6;
            for (Step s : steps) {
                double repetition = repetitionNanos(s.workload());
                double perJvm = (s.reps() + 1) * repetition
                        + s.warmup() * warmUpRuns(s.workload(), repetition, minOps, minNanos) * repetition;
                nanos += forks == 0 ? perJvm : forks * (perJvm + NANOS_PER_JVM);
            }
        }
        return Duration.ofNanos((long) nanos);
    }

    /** Runs of {@code w} one warm-up makes: at least one, and enough for {@code minOps} and for {@code minNanos}. */
    static double warmUpRuns(Workload w, double repetition, long minOps, double minNanos) {
        double ops = Bench.opsPerRepetition(w); // 0 for a workload that runs for a time: its one run makes plenty
        double forOps = ops > 0 ? Math.ceil(minOps / ops) : 1;
        return Math.max(1, Math.max(forOps, Math.ceil(minNanos / repetition)));
    }

    /** One repetition of {@code w}: its ops at the usual pace, or its duration for a workload that runs for a time. */
    static double repetitionNanos(Workload w) {
        if (w instanceof Larson l) {
            return l.durationNanos() + NANOS_PER_REPETITION;
        }
        return Bench.opsPerRepetition(w) * NANOS_PER_OP + NANOS_PER_REPETITION;
    }
}
