package dev.slabworks.harness.cli;

import dev.slabworks.api.knobs.KnobException;
import dev.slabworks.harness.bench.ResultsJson;
import dev.slabworks.harness.bench.RunResult;
import dev.slabworks.harness.wiring.Contenders;
import dev.slabworks.harness.wiring.Plugins;
import dev.slabworks.harness.workload.HakmemRandomMixed;
import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.harness.workload.Workload;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code slabworks}: the root command. Without a subcommand it runs the default job: the seed
 * benchmark ({@code hakmem-random-mixed 200000 4096 1234567}, the allocator team's own loop with its
 * default prefault) and anchor (c) ({@code random-mixed 20000000 4096 1234567}) on every strategy and
 * installed baseline, prints a side-by-side table for each under a line saying which it is, and writes
 * {@code results/slabworks-<timestamp>.json} with its HTML report.
 *
 * <p>{@link #SUBCOMMANDS} is the one list of verbs; a new verb is one more entry there.
 */
@Command(name = "slabworks", mixinStandardHelpOptions = true, version = "slabworks 0.1.0",
        description = {"A research workbench for off-heap memory allocators.",
                "Without a command: the seed benchmark (hakmem-random-mixed 200000 4096 1234567, the allocator "
                        + "team's bench_random_mixed op for op) and anchor (c) (random-mixed 20000000 4096 1234567) on "
                        + "every strategy and installed baseline, side by side, with the results written under results/."},
        footer = {"", "Options before a command apply to it when it takes them (e.g. ./slabworks --set ss.lru.size=0 "
                + "bench ...); one it does not take is an error. './slabworks COMMAND --help' for each command."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:a run failed (each failure is printed)",
                "2:a bad argument, option, knob, file or value (one line says which and what is accepted)"})
public final class SlabworksCommand implements Callable<Integer> {
    /** Every verb run in this JVM, in the order --help lists them; the launcher's own verbs follow ({@link LauncherVerbs}). */
    public static final List<Class<?>> SUBCOMMANDS = List.of(BenchCommand.class, ProfileCommand.class,
            RunCommand.class, CompareCommand.class, KnobsCommand.class, StrategiesCommand.class,
            dev.slabworks.harness.reliability.HostileCommand.class, dev.slabworks.harness.reliability.StressCommand.class,
            dev.slabworks.harness.reliability.RaceCommand.class);

    static final List<String> SEED = List.of(HakmemRandomMixed.NAME, "200000", "4096", "1234567");
    static final List<String> ANCHOR_C = List.of(RandomMixed.NAME, "20000000", "4096", "1234567");
    /** What the default run's tables are, in plain words, in the order of its plans. */
    static final List<String> LABELS = List.of(
            "The seed benchmark: the allocator team's bench_random_mixed, op for op (prefault as in its C default)",
            "Anchor (c): random-mixed, our loop of the native anchors (docs/DESIGN.md §2)");

    @Mixin
    RunOptions options;

    @Option(names = "--results", paramLabel = "DIR",
            description = "Where the default run writes its results (default: results/ in the slabworks checkout).")
    Path resultsDirectory;

    /** Read from the parse result, on whichever command it was given ({@link PluginOption}). */
    @Option(names = PluginOption.NAME, paramLabel = "JAR", scope = CommandLine.ScopeType.INHERIT,
            description = "Load the strategies of JAR, built outside this repository (repeatable; also the environment "
                    + "variable " + Plugins.ENVIRONMENT + ", paths separated by ':'). See docs/writing-a-strategy.md.")
    List<Path> plugins;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Measurement.Sets sets = Measurement.split(spec, options.preset, options.sets);
        Contenders contenders = Measurement.contenders(spec, sets);
        var chosen = Measurement.select(spec, contenders, options.strategiesOrAll());
        List<Measurement.Plan> plans = List.of(
                new Measurement.Plan(BenchCommand.parseWorkload(spec, SEED), options.reps(10), options.warmup(10)),
                new Measurement.Plan(BenchCommand.parseWorkload(spec, ANCHOR_C), options.reps(3), options.warmup(1)));
        var sweeps = sets.parsed(spec, contenders.knobs().registry());
        var rows = Measurement.rows(spec, contenders, chosen, sweeps, sets, options.forks);
        Path json = Measurement.reserve(spec, options.json, options.force, resultsDirectory(), "slabworks");
        if (!sweeps.isEmpty()) {
            Measurement.announce(spec, rows, sweeps, plans, options.forks);
        }
        Measurement.Outcome outcome = Measurement.run(spec, rows, plans, options.forks, contenders.knobs());
        List<RunResult> results = outcome.results();
        PrintWriter out = spec.commandLine().getOut();
        java.util.Map<String, String> labels = new java.util.HashMap<>();
        for (int i = 0; i < plans.size(); i++) {
            Workload w = plans.get(i).workload();
            labels.put(w.name() + " " + String.join(" ", w.args()), LABELS.get(i));
        }
        outcome.printTable(out, labels::get);
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
        LauncherVerbs.ALL.forEach(v -> cl.addSubcommand(v.name(), LauncherVerbs.command(v)));
        cl.addSubcommand(new CommandLine.HelpCommand());
        cl.setExecutionStrategy(parsed -> {
            InheritedOptions.apply(parsed);
            try (AutoCloseable plugins = PluginOption.use(parsed)) {
                return new CommandLine.RunLast().execute(parsed);
            } catch (CommandLine.ParameterException | CommandLine.ExecutionException e) {
                throw e;
            } catch (Exception e) { // only closing the plugin scope throws a checked one, and it does not
                throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), e.getMessage(), e);
            }
        });
        // one line per error: what was wrong (and what is accepted), and where the help is
        cl.setParameterExceptionHandler((ex, args) -> usageError(ex.getCommandLine(), message(ex)));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            for (Throwable t = ex; t != null; t = t.getCause()) {
                if (t instanceof KnobException k) { // a knob set wrongly in the environment or a property
                    return usageError(c, k.getMessage());
                }
            }
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            c.getErr().flush();
            return 1;
        });
        return cl;
    }

    private static int usageError(CommandLine c, String message) {
        PrintWriter err = c.getErr();
        String name = c.getCommandSpec().qualifiedName();
        err.println(name + ": " + message + " (see '" + name + " --help')");
        err.flush();
        return 2;
    }

    /** picocli's message, except that an unknown verb names the verbs there are. */
    private static String message(CommandLine.ParameterException ex) {
        CommandLine c = ex.getCommandLine();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && c.getCommandSpec().parent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-")) {
            return "unknown command '" + u.getUnmatched().getFirst() + "'; commands: "
                    + String.join(", ", c.getSubcommands().keySet());
        }
        return ex.getMessage();
    }
}
