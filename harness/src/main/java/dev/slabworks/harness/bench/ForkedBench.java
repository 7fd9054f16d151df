package dev.slabworks.harness.bench;

import dev.slabworks.harness.jvm.ChildJvm;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.workload.Workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code --forks N}: each contender runs in N JVMs of its own, each a child {@code bench} with the same
 * warm-up, repetitions and knobs as a run in this JVM ({@link BenchRunner}); their repetitions are pooled into
 * one result ({@link RunResult#pooled}). The contenders take turns, one JVM each per turn (A B C, A B C, ...), not
 * one contender's N JVMs in a row: this 2-vCPU host has slow periods of minutes for cross-thread work (DESIGN
 * §19), and in turns such a period slows one JVM of several contenders, which shows as such, instead of every
 * JVM of one contender, which reads as that contender's speed.
 *
 * <p>Why: on a 2-vCPU host one JVM can settle ~5 % above or below another with the same jar (the JIT's
 * code and where it lands differ from JVM to JVM), while the repetitions inside one JVM agree to 1-2 %. A
 * median taken in one JVM carries that JVM's luck whatever the repetition count; JMH forks for the same
 * reason. A child that fails, crashes or writes no results makes the contender's result a failed one
 * carrying the child's last lines.
 */
public final class ForkedBench implements Bench {
    /** Lines of a failed child's output kept for its error message. */
    private static final int TAIL = 8;

    /** Runs one setup on one workload in a JVM of its own (a seam: tests count the turns without JVMs). */
    interface ChildRunner {
        RunResult run(ContenderSetup s, Workload w);
    }

    private final int forks;
    private final int reps;
    private final int warmup;
    private final Progress progress;
    private final ChildRunner children;

    /** Each child gets its setup's {@code --set KEY=VALUE} words ({@link ContenderSetup#sets}). */
    public ForkedBench(int forks, int reps, int warmup, Progress progress) {
        this(forks, reps, warmup, progress, null);
    }

    ForkedBench(int forks, int reps, int warmup, Progress progress, ChildRunner children) {
        if (forks < 1) {
            throw new IllegalArgumentException("--forks must be >= 1 to fork, not " + forks);
        }
        BenchRunner.checkRepetitions(reps, warmup);
        this.forks = forks;
        this.reps = reps;
        this.warmup = warmup;
        this.progress = progress;
        this.children = children != null ? children : this::inChildJvm;
    }

    @Override
    public void plan(List<ContenderSetup> setups, Workload workload) {
        progress.plan(Bench.group(workload), setups.size() * forks, Bench.opsPerRepetition(workload) * (reps + warmup));
    }

    /**
     * Every contender on every workload in {@code forks} JVMs each, the contenders taking turns (class comment); a
     * contender whose JVM failed gets no more turns.
     */
    @Override
    public List<RunResult> run(List<ContenderSetup> setups, List<Workload> workloads) {
        List<RunResult> out = new ArrayList<>();
        for (Workload w : workloads) {
            List<List<RunResult>> parts = new ArrayList<>();
            setups.forEach(s -> parts.add(new ArrayList<>()));
            for (int f = 1; f <= forks; f++) {
                for (int i = 0; i < setups.size(); i++) {
                    List<RunResult> mine = parts.get(i);
                    if (!mine.isEmpty() && mine.getLast().failed()) {
                        continue;
                    }
                    ContenderSetup s = setups.get(i);
                    progress.step(Bench.group(w), s.label() + " " + Bench.group(w) + ": JVM " + f + "/"
                            + forks + " (" + warmup + " warm-up, " + reps + " measured)");
                    RunResult part = children.run(s, w);
                    mine.add(part);
                    if (part.failed()) {
                        progress.drop(Bench.group(w), forks - f);
                    }
                }
            }
            for (int i = 0; i < setups.size(); i++) {
                out.add(RunResult.pooled(parts.get(i)).withVariant(setups.get(i).variant()));
            }
        }
        progress.finish();
        return out;
    }

    /** The child's command line: {@code bench} on this one setup, results to {@code json}. */
    List<String> childArgs(ContenderSetup s, Workload w, Path json) {
        List<String> args = new ArrayList<>(List.of("bench", "--strategy", s.contender().name(), "--reps",
                Integer.toString(reps), "--warmup", Integer.toString(warmup)));
        for (String set : s.sets()) {
            args.add("--set");
            args.add(set);
        }
        args.addAll(List.of("--json", json.toString(), w.name()));
        args.addAll(w.args());
        return args;
    }

    /** Where a child's results file goes: a temporary folder named after this process, deleted afterwards. */
    public static final String TEMP_PREFIX = "slabworks-fork-" + ProcessHandle.current().pid() + "-";

    private RunResult inChildJvm(ContenderSetup s, Workload w) {
        Contender c = s.contender();
        Path dir = null;
        Deque<String> tail = new ArrayDeque<>();
        try {
            dir = Files.createTempDirectory(TEMP_PREFIX);
            Path json = dir.resolve("fork.json");
            int code = ChildJvm.run(childArgs(s, w, json), line -> {
                if (tail.size() == TAIL) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            });
            if (ChildJvm.crashed(code) || !Files.isRegularFile(json)) {
                return failed(s, w, "child JVM exited with code " + code + (Files.isRegularFile(json) ? "" : " and no results")
                        + ": " + String.join(" | ", tail));
            }
            List<RunResult> runs = ResultsJson.read(json);
            if (runs.size() != 1) {
                return failed(s, w, "child JVM wrote " + runs.size() + " results instead of 1");
            }
            return runs.getFirst();
        } catch (IOException e) {
            return failed(s, w, "cannot run a child JVM: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(s, w, "interrupted");
        } finally {
            deleteQuietly(dir);
        }
    }

    private RunResult failed(ContenderSetup s, Workload w, String message) {
        return BenchRunner.failed(s.contender(), w, s.knobs(), warmup, message);
    }

    /** The child's results file and the report written beside it. */
    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is not worth failing a measurement for
        }
    }
}
