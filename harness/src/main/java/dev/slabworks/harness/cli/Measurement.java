package dev.slabworks.harness.cli;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.bench.BenchRunner;
import dev.slabworks.harness.bench.ForkedBench;
import dev.slabworks.harness.bench.Progress;
import dev.slabworks.harness.bench.ResultsJson;
import dev.slabworks.harness.bench.RunResult;
import dev.slabworks.harness.report.HtmlReport;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.wiring.Contenders;
import dev.slabworks.harness.workload.Workload;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code bench}, {@code profile} and the default command share: resolve knobs and contenders
 * (errors become usage errors), run each workload's plan, write the results file and its HTML
 * report. A workload here is paired with its own repetition counts.
 */
final class Measurement {
    record Plan(Workload workload, int reps, int warmup) {
    }

    private Measurement() {
    }

    static Contenders contenders(CommandSpec spec, List<String> sets) {
        try {
            return Contenders.create(Knobs.parsePairs(sets));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (com.google.inject.CreationException | com.google.inject.ProvisionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IllegalArgumentException iae) {
                throw new CommandLine.ParameterException(spec.commandLine(), iae.getMessage(), iae);
            }
            throw e;
        }
    }

    static List<Contender> select(CommandSpec spec, Contenders contenders, List<String> names) {
        try {
            List<Contender> chosen = contenders.select(names);
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("no strategy or installed baseline to run");
            }
            return chosen;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * Runs every plan on every contender, in this JVM or, with {@code --forks N}, in N child JVMs per contender
     * ({@link ForkedBench}); returns the results in plan order.
     */
    static List<RunResult> run(CommandSpec spec, Contenders contenders, List<Contender> chosen, List<Plan> plans,
                               RunOptions options) {
        Progress progress = Progress.forConsole(spec.commandLine().getErr());
        if (options.forks < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--forks must be >= 0, not " + options.forks);
        }
        List<RunResult> results = new ArrayList<>();
        for (Plan p : plans) {
            try {
                if (options.forks == 0) {
                    results.addAll(new BenchRunner(contenders.knobs(), p.reps(), p.warmup(), progress)
                            .run(chosen, List.of(p.workload())));
                } else {
                    results.addAll(new ForkedBench(contenders.knobs(), options.sets, options.forks, p.reps(), p.warmup(),
                            progress).run(chosen, List.of(p.workload())));
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }
        return results;
    }

    /** Writes {@code json} and its HTML report, and says where. */
    static void write(CommandSpec spec, Path json, List<RunResult> results) {
        String command = "slabworks " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
        ResultsJson.write(json, ResultsJson.document(results, command.strip()));
        Path html = HtmlReport.write(json, results, command.strip());
        PrintWriter out = spec.commandLine().getOut();
        out.println("results: " + json);
        out.println("report:  " + html);
        out.flush();
    }

    /** 1 when a run failed (each failure was printed), else 0. */
    static int exitCode(List<RunResult> results) {
        return results.stream().anyMatch(RunResult::failed) ? 1 : 0;
    }
}
