package dev.slabworks.harness.cli;

import dev.slabworks.api.knobs.KnobRegistry;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.knobs.Preset;
import dev.slabworks.harness.bench.Bench;
import dev.slabworks.harness.bench.BenchRunner;
import dev.slabworks.harness.bench.ContenderSetup;
import dev.slabworks.harness.bench.ForkedBench;
import dev.slabworks.harness.bench.Progress;
import dev.slabworks.harness.bench.ResultsHeader;
import dev.slabworks.harness.bench.ResultsJson;
import dev.slabworks.harness.bench.RunResult;
import dev.slabworks.harness.experiment.Estimate;
import dev.slabworks.harness.experiment.Matrix;
import dev.slabworks.harness.experiment.SweepValues;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code bench}, {@code profile}, {@code run} and the default command share: resolve knobs and contenders
 * (errors become usage errors), expand sweeps into rows, check that every row's strategy accepts its knobs, run
 * each workload's plan, write the results file and its HTML report. A workload here is paired with its own
 * repetition counts.
 */
final class Measurement {
    record Plan(Workload workload, int reps, int warmup) {
        Estimate.Step step() {
            return new Estimate.Step(workload, reps, warmup);
        }
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

    /**
     * {@code --set} words split: one value each, and sweeps (a knob's name to its values as written); and the
     * {@code --preset} under them (null: none).
     */
    record Sets(List<String> single, Map<String, String> sweeps, Preset preset) {
        /** The preset as the lowest layer of the command line's knobs (under {@code --set}), or none. */
        List<Matrix.Layer> presetLayer() {
            if (preset == null) {
                return List.of();
            }
            Map<String, String> values = new LinkedHashMap<>();
            preset.settings().forEach(s -> values.put(s.key(), s.value()));
            return List.of(new Matrix.Layer("preset " + preset.presetName(), values));
        }

        /** The sweeps' values, each checked against the knob table of {@code registry}. */
        Map<String, List<String>> parsed(CommandSpec spec, KnobRegistry registry) {
            return BadInput.check(spec, () -> {
                Map<String, List<String>> out = new LinkedHashMap<>();
                sweeps.forEach((key, text) -> out.put(key, SweepValues.parse(registry, key, text)));
                return out;
            });
        }
    }

    private Measurement() {
    }

    /**
     * Splits {@code --set KEY=VALUE} words into single values and sweeps ({@code KEY=V1,V2}, {@code KEY=A..B:x2}),
     * with the preset named {@code preset} (null: none) under them.
     */
    static Sets split(CommandSpec spec, String preset, List<String> sets) {
        return BadInput.check(spec, () -> {
            Preset p = Preset.named(preset);
            List<String> single = new ArrayList<>();
            Map<String, String> sweeps = new LinkedHashMap<>();
            Knobs.parsePairs(sets).forEach((key, value) -> {
                if (SweepValues.isSweep(value)) {
                    sweeps.put(key, value);
                } else {
                    single.add(key + "=" + value);
                }
            });
            return new Sets(single, sweeps, p);
        });
    }

    /** The contenders, with the command's knobs: {@code sets}' single values over its preset. */
    static Contenders contenders(CommandSpec spec, Sets sets) {
        try {
            return BadInput.check(spec, () -> Contenders.create(sets.preset(), Knobs.parsePairs(sets.single())));
        } catch (com.google.inject.CreationException | com.google.inject.ProvisionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IllegalArgumentException iae) {
                throw BadInput.error(spec, iae.getMessage());
            }
            throw e;
        }
    }

    /** The contenders named (an unknown or missing one is a usage error). */
    static List<Contender> select(CommandSpec spec, Contenders contenders, List<String> names) {
        List<Contender> chosen = BadInput.check(spec, () -> contenders.select(names));
        if (chosen.isEmpty()) {
            throw BadInput.error(spec, "no strategy or installed baseline to run");
        }
        return chosen;
    }

    /**
     * The rows of a run: every entry at every point of the sweeps, with the knob layers given, each strategy
     * checked against its row's knobs (a refusal is a usage error before anything runs).
     */
    static List<ContenderSetup> rows(CommandSpec spec, Contenders contenders, List<Matrix.Entry> entries,
                                     List<Matrix.Layer> layers, Map<String, List<String>> sweeps, int forks) {
        List<ContenderSetup> rows = BadInput.check(spec, () -> Matrix.build(contenders.knobs().registry(), entries, layers, sweeps,
                contenders.knobs().longValue(HarnessKnobs.SWEEP_LIMIT), forks > 0));
        Set<String> checked = new HashSet<>();
        for (ContenderSetup s : rows) {
            if (s.contender().kind() == Contender.Kind.STRATEGY
                    && checked.add(s.contender().name() + " " + s.knobs().effective())) {
                KnobCheck.accepts(spec, s.contender().factory(), s.knobs(), s.label());
            }
        }
        return rows;
    }

    /** The rows of {@code bench}, {@code profile} and the default run: the chosen contenders at every sweep point. */
    static List<ContenderSetup> rows(CommandSpec spec, Contenders contenders, List<Contender> chosen,
                                     Map<String, List<String>> sweeps, Sets sets, int forks) {
        List<Matrix.Entry> entries = chosen.stream().map(Matrix.Entry::of).toList();
        List<Matrix.Layer> layers = new ArrayList<>(sets.presetLayer());
        layers.add(new Matrix.Layer("--set", Knobs.parsePairs(sets.single())));
        return rows(spec, contenders, entries, layers, sweeps, forks);
    }

    /** "3 rows (3 values of ss.lru.size x 1 contender) on 1 workload: estimated ~5s", to standard error. */
    static void announce(CommandSpec spec, List<ContenderSetup> rows, Map<String, List<String>> sweeps,
                         List<Plan> plans, int forks) {
        PrintWriter err = spec.commandLine().getErr();
        int entries = (int) (rows.size() / Math.max(1, Matrix.size(1, sweeps)));
        err.println(rows.size() + (rows.size() == 1 ? " row" : " rows") + " (" + Matrix.describe(entries, sweeps)
                + ") on " + plans.size() + (plans.size() == 1 ? " workload" : " workloads") + ": estimated "
                + estimate(rows, plans, forks));
        err.flush();
    }

    /** How long {@code plans} take on {@code rows}, each row with its own knobs ({@link Estimate}), as printed. */
    static String estimate(List<ContenderSetup> rows, List<Plan> plans, int forks) {
        return Progress.format(Estimate.of(rows.stream().map(ContenderSetup::knobs).toList(),
                plans.stream().map(Plan::step).toList(), forks));
    }

    /**
     * Runs every plan on every row, in this JVM or, with {@code forks} above 0, in that many child JVMs per row
     * ({@link ForkedBench}); returns the results in plan order. Every step is planned before the first runs,
     * so the progress line's total holds still but for warm-ups added while the JIT still compiles.
     */
    static Outcome run(CommandSpec spec, List<ContenderSetup> rows, List<Plan> plans, int forks, Knobs knobs) {
        BadInput.atLeast(spec, "--forks", forks, 0);
        Progress progress = Progress.forConsole(spec.commandLine().getErr());
        List<Bench> benches = new ArrayList<>();
        for (Plan p : plans) {
            Bench bench = BadInput.check(spec, () -> forks == 0
                    ? new BenchRunner(p.reps(), p.warmup(), progress)
                    : new ForkedBench(forks, p.reps(), p.warmup(), progress));
            bench.plan(rows, p.workload());
            benches.add(bench);
        }
        List<RunResult> results = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            results.addAll(benches.get(i).run(rows, List.of(plans.get(i).workload())));
        }
        return new Outcome(results, knobs.decimal(HarnessKnobs.SPREAD_WARNING));
    }

    /**
     * Where the results go: {@code json} itself, created now so that no other run takes it (an existing file is
     * a usage error unless {@code overwrite}); without one, a new {@code NAME-<timestamp>.json} under {@code
     * directory} (a {@code -2}, {@code -3}, ... added when two runs start in the same second).
     */
    static Path reserve(CommandSpec spec, Path json, boolean overwrite, Path directory, String name) {
        if (json != null) {
            return BadInput.check(spec, () -> ResultsJson.reserve(json.toAbsolutePath().normalize(), overwrite));
        }
        return ResultsJson.reserveUnique(directory.toAbsolutePath().normalize(), name + "-"
                + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** Writes {@code json} and its HTML report, and says where (both paths absolute). */
    static void write(CommandSpec spec, Path json, List<RunResult> results) {
        write(spec, json, results, ResultsJson.header(commandLine(spec), null));
    }

    /** {@link #write(CommandSpec, Path, List)} under {@code header}. */
    static void write(CommandSpec spec, Path json, List<RunResult> results, ResultsHeader header) {
        Path file = json.toAbsolutePath().normalize();
        ResultsJson.write(file, ResultsJson.document(results, header));
        Path html = HtmlReport.write(file, results, header);
        PrintWriter out = spec.commandLine().getOut();
        out.println("results: " + file);
        out.println("report:  " + html.toAbsolutePath().normalize());
        out.flush();
    }

    /** The command as typed: {@code slabworks bench ...}. */
    static String commandLine(CommandSpec spec) {
        return ("slabworks " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs())).strip();
    }

    /** 1 when a run failed (each failure was printed), else 0. */
    static int exitCode(List<RunResult> results) {
        return results.stream().anyMatch(RunResult::failed) ? 1 : 0;
    }
}
