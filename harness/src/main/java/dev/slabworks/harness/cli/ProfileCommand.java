package dev.slabworks.harness.cli;

import dev.slabworks.harness.bench.RunResult;
import dev.slabworks.harness.report.ProfileReport;
import dev.slabworks.harness.workload.Workloads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code slabworks profile [options] WORKLOAD ARGS...}: the seed-style report per strategy. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Run a workload and print, per strategy, the seed report's sections: throughput, syscall table, "
                + "page faults, SuperSlab/segment counts, front-cache and LRU stats, mincore, bottleneck ranking.",
                Workloads.HELP})
public final class ProfileCommand implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @Mixin
    WorkloadOptions workloads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        BenchCommand.Measured m = BenchCommand.measure(spec, options, workloads);
        List<RunResult> results = m.outcome().results();
        PrintWriter out = spec.commandLine().getOut();
        results.forEach(r -> ProfileReport.print(r, out));
        m.outcome().printTable(out);
        if (m.json() != null) {
            Measurement.write(spec, m.json(), results);
        }
        return Measurement.exitCode(results);
    }
}
