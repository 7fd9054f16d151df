package dev.slabworks.benchmarks;

import dev.slabworks.harness.bench.ResultsJson;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;

/**
 * {@code ./slabworks jmh [JMH options] [BENCHMARK REGEXP...]}: runs the suite (or the benchmarks the
 * regexps match) with JMH and writes the JMH JSON plus a summary of ratios to glibc.
 * <ul>
 *   <li>Without {@code -p strategy=...} the contenders are what the harness's Guice wiring finds now
 *       (every strategy module on the class path, every native baseline that loads here) and
 *       {@code none} (the ceiling): a new strategy module needs no change here. A baseline that is
 *       not installed or cannot be loaded is skipped with one line saying why, whether named or not;
 *       an unknown name is an error (exit 2) listing what is accepted.</li>
 *   <li>Without {@code -rf}/{@code -rff}: JSON to {@code results/jmh-<timestamp>.json}; the summary
 *       table goes to standard output and beside the JSON as {@code -summary.txt}.</li>
 *   <li>Every other JMH option passes through ({@code -f}, {@code -wi}, {@code -i}, {@code -prof gc},
 *       {@code -l}, {@code -h}, ...).</li>
 * </ul>
 * Exit codes: 0 when every benchmark produced a result, 1 when some failed or nothing ran, 2 for a
 * bad argument.
 */
public final class JmhMain {
    private JmhMain() {
    }

    public static void main(String[] args) throws IOException {
        int code = run(args, System.out, System.err);
        System.exit(code);
    }

    /** The whole command, with its exit code; what the smoke test calls. */
    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            err.println("slabworks jmh: " + e.getMessage() + " (see './slabworks jmh -h')");
            return 2;
        }
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
                || cmd.shouldListResultFormats()) {
            if (cmd.shouldHelp()) {
                out.println("Usage: ./slabworks jmh [JMH options] [BENCHMARK REGEXP...]");
                out.println("  default contenders: every strategy the Guice wiring finds, installed baselines and 'none';");
                out.println("  -p strategy=a,b to choose; -p set='key=value;key=value' for knobs;");
                out.println("  results: results/jmh-<timestamp>.json (-rff FILE to choose) and a -summary.txt beside it.");
                out.println();
            }
            try {
                org.openjdk.jmh.Main.main(args);
            } catch (Exception e) {
                err.println("slabworks jmh: " + e.getMessage());
                return 1;
            }
            return 0;
        }
        List<String> strategies;
        try {
            List<String> requested = cmd.getParameter("strategy").hasValue()
                    ? List.copyOf(cmd.getParameter("strategy").get()) : null;
            strategies = Suite.runnable(requested, Suite.contenders(), err);
        } catch (IllegalArgumentException e) {
            err.println("slabworks jmh: " + e.getMessage());
            return 2;
        }
        Path json = cmd.getResult().hasValue() ? Path.of(cmd.getResult().get()) : defaultResult();
        Options options = options(cmd, strategies, json);
        Collection<RunResult> results;
        try {
            results = new Runner(options).run();
        } catch (RunnerException e) {
            err.println("slabworks jmh: " + e.getMessage());
            return 1;
        }
        StringWriter table = new StringWriter();
        RatioSummary.print(RatioSummary.rows(results, new HashSet<>(Suite.baselineNames())), new PrintWriter(table));
        out.println();
        out.print(table);
        if (options.getResultFormat().orElse(ResultFormatType.JSON) == ResultFormatType.JSON) {
            Path summary = summaryBeside(json);
            Files.writeString(summary, table.toString(), StandardCharsets.UTF_8);
            out.println("JMH JSON: " + json + "   summary: " + summary);
        }
        if (results.isEmpty()) {
            err.println("slabworks jmh: no benchmark produced a result (see the JMH output above)");
            return 1;
        }
        return 0;
    }

    /** The run's options: the command line's, the contenders that can run, and the suite's defaults. */
    static Options options(CommandLineOptions cmd, List<String> strategies, Path json) throws IOException {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
        b.param("strategy", strategies.toArray(String[]::new));
        if (!cmd.getResultFormat().hasValue()) {
            b.resultFormat(ResultFormatType.JSON);
        }
        if (!cmd.getResult().hasValue()) {
            Path dir = json.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            b.result(json.toString());
        }
        return b.build();
    }

    private static Path defaultResult() {
        return ResultsJson.directory().resolve("jmh-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
    }

    static Path summaryBeside(Path json) {
        String name = json.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(base + "-summary.txt");
    }
}
