package dev.slabworks.harness.reliability;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code slabworks fuzz}: listed here so that {@code --help} shows it, but a Jazzer campaign needs the
 * test class path and the Jazzer agent, so the {@code ./slabworks} launcher runs it through the build
 * (see its {@code fuzz()} function) and never reaches this class. Reached directly (java -jar), it
 * says how to run a campaign.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = "Jazzer campaign on one strategy: ./slabworks fuzz STRATEGY [--seconds N] [--mode MODE|all] "
                + "(run by the launcher through the build; a crash is saved under harness/src/test/resources/.../"
                + "StrategyFuzzTestInputs/operations/ and replays in every test run).")
public final class FuzzCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", hidden = true)
    List<String> ignored = List.of();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("slabworks: fuzz runs through the launcher, which has the test class path and "
                + "the Jazzer agent: ./slabworks fuzz STRATEGY [--seconds N] [--mode REGISTRY|MINCORE|MINCORE_CACHED|all]");
        return 2;
    }
}
