package dev.slabworks.harness.cli;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.bench.Bench;
import dev.slabworks.harness.bench.BenchRunner;
import dev.slabworks.harness.bench.ForkedBench;
import dev.slabworks.harness.bench.Progress;
import dev.slabworks.harness.bench.ResultsJson;
import dev.slabworks.harness.bench.RunResult;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.report.HtmlReport;
import dev.slabworks.harness.report.SideBySideTable;
import dev.slabworks.harness.usage.BadInput;
import dev.slabworks.harness.usage.KnobCheck;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.wiring.Contenders;
import dev.slabworks.harness.workload.Workload;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code bench}, {@code profile} and the default command share: resolve knobs and contenders
 * (errors become usage errors), check that every chosen strategy accepts the knobs, run each
 * workload's plan, write the results file and its HTML report. A workload here is paired with its
 * own repetition counts.
 */
final class Measurement {
    record Plan(Workload workload, int reps, int warmup) {
    }

    /** The results of a measurement and the spread above which its table warns (knob spread.warning). */
    record Outcome(List<RunResult> results, double spreadWarning) {
        void printTable(PrintWriter out) {
            SideBySideTable.print(results, out, spreadWarning);
        }

        /** The tables, each under the line {@code heading} gives its workload line (none where it gives null). */
        void printTable(PrintWriter out, java.util.function.Function<String, String> heading) {
            SideBySideTable.print(results, out, spreadWarning, heading);
        }
    }

    private Measurement() {
    }

    static Contenders contenders(CommandSpec spec, List<String> sets) {
        try {
            return BadInput.check(spec, () -> Contenders.create(Knobs.parsePairs(sets)));
        } catch (com.google.inject.CreationException | com.google.inject.ProvisionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IllegalArgumentException iae) {
                throw BadInput.error(spec, iae.getMessage());
            }
            throw e;
        }
    }

    /** The contenders named (an unknown or missing one is a usage error), each strategy checked against the knobs. */
    static List<Contender> select(CommandSpec spec, Contenders contenders, List<String> names) {
        List<Contender> chosen = BadInput.check(spec, () -> contenders.select(names));
        if (chosen.isEmpty()) {
            throw BadInput.error(spec, "no strategy or installed baseline to run");
        }
        for (Contender c : chosen) {
            if (c.kind() == Contender.Kind.STRATEGY) {
                KnobCheck.accepts(spec, c.factory(), contenders.knobs());
            }
        }
        return chosen;
    }

    /**
     * Runs every plan on every contender, in this JVM or, with {@code --forks N}, in N child JVMs per contender
     * ({@link ForkedBench}); returns the results in plan order. Every step is planned before the first runs,
     * so the progress line's total holds still.
     */
    static Outcome run(CommandSpec spec, Contenders contenders, List<Contender> chosen, List<Plan> plans,
                       RunOptions options) {
        BadInput.atLeast(spec, "--forks", options.forks, 0);
        Progress progress = Progress.forConsole(spec.commandLine().getErr());
        List<Bench> benches = new ArrayList<>();
        for (Plan p : plans) {
            Bench bench = BadInput.check(spec, () -> options.forks == 0
                    ? new BenchRunner(contenders.knobs(), p.reps(), p.warmup(), progress)
                    : new ForkedBench(contenders.knobs(), options.sets, options.forks, p.reps(), p.warmup(), progress));
            bench.plan(chosen, p.workload());
            benches.add(bench);
        }
        List<RunResult> results = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            results.addAll(benches.get(i).run(chosen, List.of(plans.get(i).workload())));
        }
        return new Outcome(results, contenders.knobs().decimal(HarnessKnobs.SPREAD_WARNING));
    }

    /** Writes {@code json} and its HTML report, and says where (both paths absolute). */
    static void write(CommandSpec spec, Path json, List<RunResult> results) {
        String command = "slabworks " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
        Path file = json.toAbsolutePath().normalize();
        ResultsJson.write(file, ResultsJson.document(results, command.strip()));
        Path html = HtmlReport.write(file, results, command.strip());
        PrintWriter out = spec.commandLine().getOut();
        out.println("results: " + file);
        out.println("report:  " + html.toAbsolutePath().normalize());
        out.flush();
    }

    /** 1 when a run failed (each failure was printed), else 0. */
    static int exitCode(List<RunResult> results) {
        return results.stream().anyMatch(RunResult::failed) ? 1 : 0;
    }
}
