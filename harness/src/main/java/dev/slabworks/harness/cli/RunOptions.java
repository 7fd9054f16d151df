package dev.slabworks.harness.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options every measuring command shares (docs/DESIGN.md §18). */
public final class RunOptions {
    @Option(names = "--strategy", paramLabel = "NAME",
            description = "A strategy or baseline to run (repeatable); 'all' = every strategy and installed baseline "
                    + "(the default). See 'slabworks strategies'.")
    List<String> strategies = new ArrayList<>();

    @Option(names = "--reps", paramLabel = "N", description = "Measured repetitions per strategy (bench and profile: 5; the default run: 10 on the seed benchmark, 3 on (c)).")
    Integer reps;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up repetitions per strategy, not measured (bench and profile: 2; the default run: 10 on the seed benchmark, 1 on (c)); more while the JIT still compiles, up to knob warmup.extra.max.")
    Integer warmup;

    @Option(names = "--forks", paramLabel = "N",
            description = "Run each contender in N JVMs of its own, the contenders taking turns, each with the warm-up "
                    + "and repetitions above, and pool their repetitions (default 0: every contender in this JVM). One JVM "
                    + "can settle ~5%% off another with the same jar; forks keep that luck out of a median.")
    int forks;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set a knob (repeatable); see 'slabworks knobs'. KEY=V1,V2,... or, for a knob of whole numbers "
                    + "or sizes, KEY=FROM..TO[:+STEP|:xFACTOR] (e.g. ss.lru.size=0..64:x2, page.size=64K..1M:x2) sweeps it: "
                    + "one row per value; several swept knobs give their product (at most knob sweep.limit rows).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--preset", paramLabel = "NAME", description = "Start from a named set of knob values (e.g. seed: "
            + "the seed report's configuration); a --set wins over it. See 'slabworks knobs --preset NAME'.")
    String preset;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the results (schema slabworks.result/1) to FILE, with an HTML report and SVG charts "
                    + "beside it. An existing FILE is refused unless --force.")
    Path json;

    @Option(names = "--force", description = "Let --json overwrite an existing file.")
    boolean force;

    List<String> strategiesOrAll() {
        return strategies.isEmpty() ? List.of("all") : strategies;
    }

    int reps(int fallback) {
        return reps == null ? fallback : reps;
    }

    int warmup(int fallback) {
        return warmup == null ? fallback : warmup;
    }
}
