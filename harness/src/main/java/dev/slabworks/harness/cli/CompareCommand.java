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
        description = {"Compare two results files: per row (label: strategy, or strategy and sweep point) and workload, "
                + "the change in median ops/s (faster/slower by X %% +- Y, from both medians' 95 %% confidence intervals), "
                + "syscalls and resident peak.",
                "A drop in ops/s beyond the knob regression.threshold (default 5%%) whose intervals do not overlap, or a "
                        + "rise in syscalls or resident peak beyond it, is a Regression Alert, and the command exits 1, so "
                        + "it can gate a change. Two files that differ in knobs, JDK or machine are warned about."},
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
        ResultsJson.Document a = BadInput.check(spec, () -> ResultsJson.readDocument(old));
        ResultsJson.Document b = BadInput.check(spec, () -> ResultsJson.readDocument(now));
        List<RunResult> before = a.runs();
        List<RunResult> after = b.runs();
        Comparison c = new Comparison(a.header(), before, b.header(), after, threshold);
        if (c.rows().isEmpty()) {
            throw BadInput.error(spec, "no run in common (a run is matched by label and workload): " + old + " has "
                    + Comparison.describe(before) + "; " + now + " has " + Comparison.describe(after));
        }
        c.print(spec.commandLine().getOut());
        return c.regressions() > 0 ? 1 : 0;
    }
}
