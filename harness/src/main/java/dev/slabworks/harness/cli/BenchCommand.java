package dev.slabworks.harness.cli;

import dev.slabworks.harness.bench.ContenderSetup;
import dev.slabworks.harness.usage.BadInput;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.wiring.Contenders;
import dev.slabworks.harness.workload.Workload;
import dev.slabworks.harness.workload.Workloads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @Mixin
    WorkloadOptions workloads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Measured m = measure(spec, options, workloads);
        m.outcome().printTable(spec.commandLine().getOut());
        if (m.json() != null) {
            Measurement.write(spec, m.json(), m.outcome().results());
        }
        return Measurement.exitCode(m.outcome().results());
    }

    static Workload parseWorkload(CommandLine.Model.CommandSpec spec, List<String> words) {
        return BadInput.check(spec, () -> Workloads.parse(words));
    }

    /** A measurement and the results file reserved for it (null when none was asked for). */
    record Measured(Measurement.Outcome outcome, Path json) {
    }

    /**
     * Every workload on every row (contender and sweep point), after every check: the results file, when asked
     * for, is reserved before anything runs, so a file that exists is refused at once.
     */
    static Measured measure(CommandLine.Model.CommandSpec spec, RunOptions options, WorkloadOptions workloads) {
        Measurement.Sets sets = Measurement.split(spec, options.sets);
        Contenders contenders = Measurement.contenders(spec, sets.single());
        List<Contender> chosen = Measurement.select(spec, contenders, options.strategiesOrAll());
        List<Measurement.Plan> plans = new ArrayList<>();
        for (List<String> words : workloads.lines(spec)) {
            plans.add(new Measurement.Plan(parseWorkload(spec, words), options.reps(DEFAULT_REPS),
                    options.warmup(DEFAULT_WARMUP)));
        }
        Map<String, List<String>> sweeps = sets.parsed(spec, contenders.knobs().registry());
        List<ContenderSetup> rows = Measurement.rows(spec, contenders, chosen, sweeps, sets, options.forks);
        Path json = options.json == null ? null : Measurement.reserve(spec, options.json, options.force, null, null);
        if (!sweeps.isEmpty() || plans.size() > 1) {
            Measurement.announce(spec, rows, sweeps, plans, options.forks);
        }
        return new Measured(Measurement.run(spec, rows, plans, options.forks, contenders.knobs()), json);
    }
}
