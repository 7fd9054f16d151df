package dev.slabworks.harness.cli;

import dev.slabworks.harness.bench.ContenderSetup;
import dev.slabworks.harness.bench.ResultsHeader;
import dev.slabworks.harness.bench.ResultsJson;
import dev.slabworks.harness.experiment.Experiment;
import dev.slabworks.harness.experiment.ExperimentFile;
import dev.slabworks.harness.experiment.Matrix;
import dev.slabworks.harness.usage.BadInput;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.wiring.Contenders;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code slabworks run FILE}: an experiment file's matrix, measured, with results JSON and an HTML report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run an experiment file (TOML: its name, question, contenders, workloads, sweeps, repetitions, "
                + "warm-up, forks; README \"Experiments\"). Prints the matrix's size and an estimate of the time first, "
                + "then progress; writes results/NAME-<timestamp>.json and its HTML report, whose header carries the "
                + "file itself, the commit, JDK, machine and every knob's value and source.",
                "--dry-run prints the matrix (every row, its knobs, every workload) and the estimate, and runs nothing."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done (or the dry run printed)", "1:a run failed (each failure is printed)",
                "2:a bad file, key, knob, strategy or value (one line says which and what is accepted)"})
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The experiment file (e.g. experiments/lru-sweep.toml).")
    Path file;

    @Option(names = "--dry-run", description = "Print the matrix and the estimated time; run nothing.")
    boolean dryRun;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the results here instead of results/NAME-<timestamp>.json (an existing FILE is refused unless --force).")
    Path json;

    @Option(names = "--force", description = "Let --json overwrite an existing file.")
    boolean force;

    @Option(names = "--results", paramLabel = "DIR",
            description = "Where the results go without --json (default: results/ in the slabworks checkout).")
    Path results;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A knob for every contender, over the file's [knobs] and under a contender's own knobs, which "
                    + "define it (repeatable; V1,V2 or a range sweeps it too).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--preset", paramLabel = "NAME",
            description = "A named set of knob values for every contender, over the file's [knobs], under --set and a "
                    + "contender's own knobs.")
    String preset;

    @Option(names = "--reps", paramLabel = "N", description = "Measured repetitions per row and workload, over the file's.")
    Integer reps;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up repetitions, over the file's; more while the JIT still compiles, up to knob warmup.extra.max.")
    Integer warmup;

    @Option(names = "--forks", paramLabel = "N", description = "JVMs per row, over the file's.")
    Integer forks;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Measurement.Sets given = Measurement.split(spec, preset, sets);
        Contenders contenders = Measurement.contenders(spec, given);
        Experiment e = BadInput.check(spec, () -> ExperimentFile.read(file, contenders.knobs().registry()));
        int jvms = forks != null ? forks : e.forks();
        BadInput.atLeast(spec, "--forks", jvms, 0);
        List<Matrix.Entry> entries = new ArrayList<>();
        for (Experiment.Contender c : e.contenders()) {
            Contender found = Measurement.select(spec, contenders, List.of(c.strategy())).getFirst();
            entries.add(BadInput.check(spec, () -> new Matrix.Entry(found, c.label(), c.knobs())));
        }
        Map<String, List<String>> sweeps = new LinkedHashMap<>(e.sweep());
        sweeps.putAll(given.parsed(spec, contenders.knobs().registry()));
        List<Matrix.Layer> layers = new ArrayList<>();
        if (e.preset() != null) { // the file's preset, under its [knobs]
            Map<String, String> values = new LinkedHashMap<>();
            dev.slabworks.api.knobs.Preset.byName(e.preset()).settings().forEach(s -> values.put(s.key(), s.value()));
            layers.add(new Matrix.Layer("preset " + e.preset(), values));
        }
        layers.add(new Matrix.Layer("experiment", e.knobs()));
        layers.addAll(given.presetLayer());
        layers.add(new Matrix.Layer("--set", dev.slabworks.api.knobs.Knobs.parsePairs(given.single())));
        List<ContenderSetup> rows = Measurement.rows(spec, contenders, entries, layers, sweeps, jvms);
        List<Measurement.Plan> plans = new ArrayList<>();
        for (Experiment.Workload w : e.workloads()) {
            int r = reps != null ? reps : w.repetitions(e.repetitions());
            int wu = warmup != null ? warmup : w.warmup(e.warmup());
            BadInput.atLeast(spec, "--reps", r, 1);
            BadInput.atLeast(spec, "--warmup", wu, 0);
            plans.add(new Measurement.Plan(BenchCommand.parseWorkload(spec, w.words()), r, wu));
        }
        if (dryRun) {
            printMatrix(spec.commandLine().getOut(), e, rows, sweeps, plans, jvms);
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("experiment " + e.name() + ": " + e.question());
        Path out = Measurement.reserve(spec, json, force, results != null ? results : ResultsJson.directory(), e.name());
        Measurement.announce(spec, rows, sweeps, plans, jvms);
        Measurement.Outcome outcome = Measurement.run(spec, rows, plans, jvms, contenders.knobs());
        outcome.printTable(spec.commandLine().getOut());
        ResultsHeader header = ResultsJson.header(Measurement.commandLine(spec),
                new ResultsHeader.Experiment(e.name(), e.question(), e.file(), e.text()));
        Measurement.write(spec, out, outcome.results(), header);
        return Measurement.exitCode(outcome.results());
    }

    /** Every row with the knobs it sets, every workload with its repetitions, and the estimate. */
    static void printMatrix(PrintWriter out, Experiment e, List<ContenderSetup> rows, Map<String, List<String>> sweeps,
                            List<Measurement.Plan> plans, int forks) {
        out.println("experiment: " + e.name() + " (" + e.file() + ")");
        out.println("question:   " + e.question());
        int width = Math.max(5, rows.stream().mapToInt(r -> r.label().length()).max().orElse(0));
        String format = "%3s  %-" + width + "s  %-14s  %s%n";
        out.println();
        out.printf(Locale.ROOT, format, "#", "LABEL", "STRATEGY", "KNOBS SET (experiment, contender, sweep, --set)");
        for (int i = 0; i < rows.size(); i++) {
            ContenderSetup r = rows.get(i);
            out.printf(Locale.ROOT, format, i + 1, r.label(), r.contender().name(), String.join(" ", r.sets()));
        }
        out.println();
        int wwidth = Math.max(8, plans.stream().mapToInt(p -> line(p).length()).max().orElse(0));
        String wformat = "%-" + wwidth + "s  %5s  %7s%n";
        out.printf(Locale.ROOT, wformat, "WORKLOAD", "REPS", "WARM-UP");
        plans.forEach(p -> out.printf(Locale.ROOT, wformat, line(p), p.reps(), p.warmup()));
        out.println();
        int entries = (int) (rows.size() / Math.max(1, Matrix.size(1, sweeps)));
        long repetitions = plans.stream().mapToLong(p -> (long) rows.size() * (p.reps() + p.warmup())
                * Math.max(1, forks)).sum();
        out.println(rows.size() + " rows (" + Matrix.describe(entries, sweeps) + ") x " + plans.size()
                + (plans.size() == 1 ? " workload" : " workloads") + " = " + rows.size() * plans.size() + " runs, "
                + repetitions + " repetitions with warm-up" + (forks > 0 ? ", in " + forks + " JVMs per row" : "")
                + "; estimated " + Measurement.estimate(rows, plans, forks));
        out.flush();
    }

    private static String line(Measurement.Plan p) {
        return p.workload().name() + (p.workload().args().isEmpty() ? "" : " " + String.join(" ", p.workload().args()));
    }
}
