package dev.slabworks.harness.cli;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.bench.ResultsJson;
import dev.slabworks.harness.bench.RunResult;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.report.Comparison;
import dev.slabworks.harness.usage.BadInput;
import dev.slabworks.harness.wiring.Strategies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code slabworks compare OLD.json NEW.json}: changes per strategy and workload; exits 1 on a regression. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two results files: per strategy and workload, the change in ops/s and syscalls.",
                "A drop in ops/s or a rise in syscalls beyond the knob regression.threshold (default 5%%) is a "
                        + "Regression Alert, and the command exits 1, so it can gate a change."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:no regression", "1:a regression was flagged", "2:bad arguments, an unreadable file, or two files with no run in common"})
public final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OLD.json", description = "The results before the change.")
    Path old;

    @Parameters(index = "1", paramLabel = "NEW.json", description = "The results after the change.")
    Path now;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set a knob, e.g. --set regression.threshold=10.")
    List<String> sets = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        double threshold = BadInput.check(spec,
                () -> Strategies.resolveKnobs(Knobs.parsePairs(sets)).decimal(HarnessKnobs.REGRESSION_THRESHOLD));
        List<RunResult> before = BadInput.check(spec, () -> ResultsJson.read(old));
        List<RunResult> after = BadInput.check(spec, () -> ResultsJson.read(now));
        Comparison c = new Comparison(before, after, threshold);
        if (c.rows().isEmpty()) {
            throw BadInput.error(spec, "no run in common (a run is matched by strategy and workload): " + old + " has "
                    + Comparison.describe(before) + "; " + now + " has " + Comparison.describe(after));
        }
        c.print(spec.commandLine().getOut());
        return c.regressions() > 0 ? 1 : 0;
    }
}
