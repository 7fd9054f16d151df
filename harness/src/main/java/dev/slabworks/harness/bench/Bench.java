package dev.slabworks.harness.bench;

import dev.slabworks.harness.workload.DistMixed;
import dev.slabworks.harness.workload.HakmemRandomMixed;
import dev.slabworks.harness.workload.MtRemote;
import dev.slabworks.harness.workload.Workload;
import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.harness.workload.Xmalloc;
import dev.slabworks.harness.workload.RemoteFree;
import dev.slabworks.harness.workload.TraceReplay;

import java.util.List;

/** A way to measure workloads on contenders: in this JVM ({@link BenchRunner}) or in JVMs of their own ({@link ForkedBench}). */
public interface Bench {
    /** Tells the progress the steps {@link #run} will take on {@code workload}, before any run starts. */
    void plan(List<ContenderSetup> setups, Workload workload);

    /** Every setup on every workload, setup by setup; each result is labelled with its setup's {@link Variant}. */
    List<RunResult> run(List<ContenderSetup> setups, List<Workload> workloads);

    /** The progress group of a workload's steps: the workload and its arguments. */
    static String group(Workload w) {
        return w.args().isEmpty() ? w.name() : w.name() + " " + String.join(" ", w.args());
    }

    /**
     * The ops one repetition of {@code w} runs (for the multi-thread workloads, per thread's worth of CPU on this
     * host), for the time estimates; 0 when not known up front ({@code larson} runs for a time instead).
     */
    static double opsPerRepetition(Workload w) {
        return switch (w) {
            case RandomMixed r -> r.iterations();
            case HakmemRandomMixed h -> h.cycles() * 1.1; // the untimed prefault adds CYCLES / 10 by default
            case DistMixed d -> d.iterations();
            case RemoteFree r -> 2.0 * r.threads() * r.iterations();
            case MtRemote m -> 2.0 * m.threads() * m.iterations();
            case Xmalloc x -> 2.0 * x.threads() * x.iterations();
            case TraceReplay t -> t.trace().length();
            default -> 0;
        };
    }
}
