package dev.slabworks.harness.cli;

import dev.slabworks.harness.usage.BadInput;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The verbs the {@code ./slabworks} launcher runs itself, because they need more than this jar: the
 * build ({@code test}), the JMH jar ({@code jmh}), a C compiler ({@code native-anchor}), the test class
 * path and the Jazzer agent ({@code fuzz}). They are commands here only so that {@code --help} lists
 * them; reached in the jar (java -jar, or options before the verb) they say how to run them. Each
 * {@link Verb#synopsis} is the first line the launcher prints for {@code ./slabworks VERB --help}
 * (a test holds the two together).
 */
public final class LauncherVerbs {
    /** A launcher verb: its name, its usage line, what it does in a line (the command list) and in more words. */
    public record Verb(String name, String synopsis, String summary, String details) {
    }

    public static final List<Verb> ALL = List.of(
            new Verb("fuzz", "./slabworks fuzz STRATEGY [--seconds N] [--mode REGISTRY|MINCORE|MINCORE_CACHED|all]",
                    "Jazzer campaign on one strategy; a crash is saved and replays in every test run.",
                    "N seconds (default 60) in each validation mode unless --mode. The corpus grows under .fuzz/; a "
                            + "crashing input is saved under harness/src/test/resources/.../StrategyFuzzTestInputs/"
                            + "operations/: commit it with the fix."),
            new Verb("test", "./slabworks test [MAVEN OPTIONS...]",
                    "Run the whole test suite: a line per module, the failures, the totals.",
                    "./mvnw verify; the full Maven log goes to target/test.log. Maven options pass through."),
            new Verb("jmh", "./slabworks jmh [JMH OPTIONS...] [BENCHMARK REGEXP...]",
                    "Run the JMH suite on every strategy and installed baseline; ratios to glibc.",
                    "JMH JSON to results/jmh-<timestamp>.json and a summary table beside it; './slabworks jmh -h' "
                            + "prints every JMH option, -l the benchmarks."),
            new Verb("native-anchor", "./slabworks native-anchor [--runs N] [--cpu K] [WORKLOAD] ARGS...",
                    "A workload's C twin on glibc and the installed native allocators.",
                    "benchmarks/native/WORKLOAD.c (default random-mixed), N runs per allocator (default 15), the "
                            + "allocator swapped with LD_PRELOAD, then the loop alone; medians and ratios to glibc."));

    private LauncherVerbs() {
    }

    /** The launcher verb called {@code name}, or null. */
    static Verb named(String name) {
        return ALL.stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
    }

    /** The command that stands for {@code verb} in {@code --help}. */
    static CommandLine command(Verb verb) {
        CommandSpec[] self = new CommandSpec[1];
        CommandSpec spec = CommandSpec.wrapWithoutInspection((Callable<Integer>) () -> {
            throw BadInput.error(self[0], "'" + verb.name() + "' runs in the ./slabworks launcher, not in the jar: "
                    + verb.synopsis());
        });
        self[0] = spec;
        spec.name(verb.name()).mixinStandardHelpOptions(true);
        spec.usageMessage().description(verb.summary(), verb.details()).customSynopsis(verb.synopsis(), "");
        spec.addPositional(PositionalParamSpec.builder().arity("0..*").hidden(true).type(String[].class).build());
        return new CommandLine(spec);
    }
}
