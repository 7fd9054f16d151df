package dev.slabworks.harness.bench;

import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.workload.Workload;
import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.harness.workload.RemoteFree;
import dev.slabworks.harness.workload.TraceReplay;

import java.util.List;

/** A way to measure workloads on contenders: in this JVM ({@link BenchRunner}) or in JVMs of their own ({@link ForkedBench}). */
public interface Bench {
    /** Tells the progress the steps {@link #run} will take on {@code workload}, before any run starts. */
    void plan(List<Contender> contenders, Workload workload);

    /** Every contender on every workload, contender by contender. */
    List<RunResult> run(List<Contender> contenders, List<Workload> workloads);

    /** The progress group of a workload's steps: the workload and its arguments. */
    static String group(Workload w) {
        return w.args().isEmpty() ? w.name() : w.name() + " " + String.join(" ", w.args());
    }

    /** The ops one repetition of {@code w} runs, for the progress's time estimate; 0 when not known up front. */
    static double opsPerRepetition(Workload w) {
        return switch (w) {
            case RandomMixed r -> r.iterations();
            case RemoteFree r -> 2.0 * r.threads() * r.iterations();
            case TraceReplay t -> t.trace().length();
            default -> 0;
        };
    }
}
