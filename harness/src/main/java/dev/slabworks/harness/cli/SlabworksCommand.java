package dev.slabworks.harness.cli;

import dev.slabworks.harness.bench.ResultsJson;
import dev.slabworks.harness.bench.RunResult;
import dev.slabworks.harness.report.SideBySideTable;
import dev.slabworks.harness.wiring.Contenders;
import dev.slabworks.harness.workload.RandomMixed;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code slabworks}: the root command. Without a subcommand it runs the default job: the seed
 * benchmark ({@code random-mixed 200000 4096 1234567}) and anchor (c)
 * ({@code random-mixed 20000000 4096 1234567}) on every strategy and installed baseline, prints the
 * side-by-side table and writes {@code results/slabworks-<timestamp>.json} with its HTML report.
 *
 * <p>{@link #SUBCOMMANDS} is the one list of verbs; a new verb is one more entry there.
 */
@Command(name = "slabworks", mixinStandardHelpOptions = true, version = "slabworks 0.1.0",
        description = {"A research workbench for off-heap memory allocators.",
                "Without a command: the seed benchmark (random-mixed 200000 4096 1234567) and anchor (c) "
                        + "(random-mixed 20000000 4096 1234567) on every strategy and installed baseline, side by side, "
                        + "with the results written under results/."})
public final class SlabworksCommand implements Callable<Integer> {
    /** Every verb, in the order --help lists them. */
    public static final List<Class<?>> SUBCOMMANDS = List.of(BenchCommand.class, ProfileCommand.class,
            CompareCommand.class, KnobsCommand.class, StrategiesCommand.class,
            dev.slabworks.harness.reliability.HostileCommand.class, dev.slabworks.harness.reliability.StressCommand.class,
            dev.slabworks.harness.reliability.FuzzCommand.class, dev.slabworks.harness.reliability.RaceCommand.class);

    static final List<String> SEED = List.of(RandomMixed.NAME, "200000", "4096", "1234567");
    static final List<String> ANCHOR_C = List.of(RandomMixed.NAME, "20000000", "4096", "1234567");

    @Mixin
    RunOptions options;

    @Option(names = "--results", paramLabel = "DIR",
            description = "Where the default run writes its results (default: results/ in the slabworks checkout).")
    Path resultsDirectory;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Contenders contenders = Measurement.contenders(spec, options.sets);
        var chosen = Measurement.select(spec, contenders, options.strategiesOrAll());
        List<Measurement.Plan> plans = List.of(
                new Measurement.Plan(BenchCommand.parseWorkload(spec, SEED), options.reps(10), options.warmup(10)),
                new Measurement.Plan(BenchCommand.parseWorkload(spec, ANCHOR_C), options.reps(3), options.warmup(1)));
        List<RunResult> results = Measurement.run(spec, contenders, chosen, plans, options);
        PrintWriter out = spec.commandLine().getOut();
        SideBySideTable.print(results, out);
        Path json = options.json != null ? options.json : resultsDirectory().resolve(
                "slabworks-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        Measurement.write(spec, json, results);
        return Measurement.exitCode(results);
    }

    private Path resultsDirectory() {
        if (resultsDirectory != null) {
            return resultsDirectory;
        }
        return ResultsJson.directory();
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SlabworksCommand());
        SUBCOMMANDS.forEach(cl::addSubcommand);
        cl.addSubcommand(new CommandLine.HelpCommand());
        // one line per error: what was wrong (and what is accepted), and where the help is
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            String name = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            c.getErr().flush();
            return 1;
        });
        return cl;
    }
}
