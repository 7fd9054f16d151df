package dev.slabworks.harness.cli;

import dev.slabworks.harness.usage.BadInput;
import dev.slabworks.harness.wiring.Contenders;
import dev.slabworks.harness.workload.Workload;
import dev.slabworks.harness.workload.Workloads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code slabworks bench [options] WORKLOAD ARGS...}: throughput, repeated, side by side. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a workload on strategies and baselines; print median ops/s, spread, ratio to glibc and syscalls.",
                Workloads.HELP})
public final class BenchCommand implements Callable<Integer> {
    static final int DEFAULT_REPS = 5;
    static final int DEFAULT_WARMUP = 2;

    @Mixin
    RunOptions options;

    @Parameters(arity = "1..*", paramLabel = "WORKLOAD ARGS", description = "The workload and its arguments.")
    List<String> workload;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Measurement.Outcome outcome = measure(spec, options, workload);
        outcome.printTable(spec.commandLine().getOut());
        if (options.json != null) {
            Measurement.write(spec, options.json, outcome.results());
        }
        return Measurement.exitCode(outcome.results());
    }

    static Workload parseWorkload(CommandLine.Model.CommandSpec spec, List<String> words) {
        return BadInput.check(spec, () -> Workloads.parse(words));
    }

    static Measurement.Outcome measure(CommandLine.Model.CommandSpec spec, RunOptions options, List<String> workload) {
        Contenders contenders = Measurement.contenders(spec, options);
        var chosen = Measurement.select(spec, contenders, options.strategiesOrAll());
        Workload w = parseWorkload(spec, workload);
        return Measurement.run(spec, contenders, chosen,
                List.of(new Measurement.Plan(w, options.reps(DEFAULT_REPS), options.warmup(DEFAULT_WARMUP))), options);
    }
}
