package dev.slabworks.benchmarks;

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
 *   <li>Without {@code -p strategy=...} the strategies are those the harness's Guice wiring finds
 *       now, every installed baseline, and {@code none} (the ceiling): the list is made at run time,
 *       so a new strategy module needs no change here.</li>
 *   <li>Without {@code -rf}/{@code -rff}: JSON to {@code results/jmh-<timestamp>.json}; the summary
 *       table goes to standard output and beside the JSON as {@code .txt}.</li>
 *   <li>Every other JMH option passes through ({@code -f}, {@code -wi}, {@code -i}, {@code -prof gc},
 *       {@code -l}, {@code -h}, ...).</li>
 * </ul>
 */
public final class JmhMain {
    private JmhMain() {
    }

    public static void main(String[] args) throws IOException {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("slabworks jmh: " + e.getMessage() + " (see './slabworks jmh -h')");
            System.exit(2);
            return;
        }
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
                || cmd.shouldListResultFormats()) {
            if (cmd.shouldHelp()) {
                System.out.println("Usage: ./slabworks jmh [JMH options] [BENCHMARK REGEXP...]");
                System.out.println("  default strategies: every one the Guice wiring finds, installed baselines and 'none';");
                System.out.println("  -p strategy=a,b to choose; -p set='key=value;key=value' for knobs;");
                System.out.println("  results: results/jmh-<timestamp>.json (-rff FILE to choose) and a summary .txt beside it.");
                System.out.println();
            }
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Path json = cmd.getResult().hasValue() ? Path.of(cmd.getResult().get()) : defaultResult();
        Options options = options(cmd, json);
        Collection<RunResult> results;
        try {
            results = new Runner(options).run();
        } catch (RunnerException e) {
            System.err.println("slabworks jmh: " + e.getMessage());
            System.exit(1);
            return;
        }
        StringWriter table = new StringWriter();
        RatioSummary.print(RatioSummary.rows(results, new HashSet<>(Suite.baselineNames())), new PrintWriter(table));
        System.out.println();
        System.out.print(table);
        if (options.getResultFormat().orElse(ResultFormatType.JSON) == ResultFormatType.JSON) {
            Path summary = summaryBeside(json);
            Files.writeString(summary, table.toString(), StandardCharsets.UTF_8);
            System.out.println("JMH JSON: " + json + "   summary: " + summary);
        }
    }

    /** The run's options: the command line's, plus the suite's defaults for what it leaves out. */
    static Options options(CommandLineOptions cmd, Path json) throws IOException {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
        if (!cmd.getParameter("strategy").hasValue()) {
            List<String> names = Suite.availableNames();
            b.param("strategy", names.toArray(String[]::new));
        }
        if (!cmd.getResultFormat().hasValue()) {
            b.resultFormat(ResultFormatType.JSON);
        }
        if (!cmd.getResult().hasValue()) {
            Files.createDirectories(json.toAbsolutePath().getParent());
            b.result(json.toString());
        }
        return b.build();
    }

    private static Path defaultResult() {
        String home = System.getenv("SLABWORKS_HOME");
        Path dir = home == null ? Path.of("results") : Path.of(home, "results");
        return dir.resolve("jmh-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
    }

    static Path summaryBeside(Path json) {
        String name = json.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(base + "-summary.txt");
    }
}
