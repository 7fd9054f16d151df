package dev.slabworks.harness.reliability;

import com.google.inject.Injector;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Bytes;
import dev.slabworks.harness.bench.Progress;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.usage.BadInput;
import dev.slabworks.harness.wiring.Strategies;
import dev.slabworks.testkit.campaign.StressRunner.Report;
import dev.slabworks.testkit.campaign.StressRunner.Settings;
import dev.slabworks.testkit.campaign.StressRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code slabworks stress}: the multi-thread stress on each strategy: N threads allocate,
 * fill, hand blocks to each other, verify and free; then nothing lost, nothing corrupted, the stats
 * consistent, mapped bytes back to the floor and {@code close()} unmapping everything.
 */
@Command(name = "stress", mixinStandardHelpOptions = true,
        description = "Multi-thread stress: threads allocate checksummed blocks, hand them to each other, verify and free them.")
public final class StressCommand implements Callable<Integer> {
    @Option(names = "--strategy", paramLabel = "NAME", description = "Strategy name or 'all' (repeatable; default all).")
    List<String> strategies = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: knob stress.threads, SLABWORKS_STRESS_THREADS).")
    Integer threads;

    @Option(names = "--blocks", paramLabel = "N", defaultValue = "200000", description = "Blocks allocated per thread (default ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--outstanding", paramLabel = "N", defaultValue = "4096", description = "Blocks in flight at most (default ${DEFAULT-VALUE}).")
    int outstanding;

    @Option(names = "--seed", defaultValue = "8", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set a knob (repeatable).")
    List<String> sets = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private final Supplier<Injector> injector;

    public StressCommand() {
        this(Strategies::injector);
    }

    StressCommand(Supplier<Injector> injector) {
        this.injector = injector;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (threads != null) {
            BadInput.atLeast(spec, "--threads", threads, 1);
        }
        BadInput.atLeast(spec, "--blocks", blocks, 1);
        BadInput.atLeast(spec, "--outstanding", outstanding, 1);
        Targets.Chosen chosen = Targets.resolve(spec, injector, strategies, "all", sets);
        List<AllocatorFactory> factories = chosen.factories();
        Knobs knobs = chosen.knobs();
        int n = threads != null ? threads : knobs.intValue(HarnessKnobs.STRESS_THREADS);
        Settings settings = new Settings(n, blocks, outstanding, seed);
        Progress progress = Progress.forConsole(spec.commandLine().getErr());
        progress.plan(PROGRESS_GROUP, factories.size(), (double) n * blocks);
        header(out);
        int failed = 0;
        for (AllocatorFactory f : factories) {
            progress.step(PROGRESS_GROUP, "stress " + f.name() + ": " + n + " threads x " + blocks + " blocks");
            Report r = StressRunner.run(f, knobs, settings);
            progress.finish(); // a terminal's in-place progress line gives way to the row
            row(out, r);
            failed += r.passed() ? 0 : 1;
            out.flush();
        }
        progress.finish();
        LEGEND.forEach(out::println);
        out.printf("%nruns %d, failed %d: %s%n", factories.size(), failed, failed == 0 ? "PASS" : "FAIL");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    /** What the header's abbreviations mean, printed under the table. */
    static final List<String> LEGEND = List.of(
            "HANDED: blocks freed by another thread than the one that allocated them; CORRUPTED: blocks whose checksum "
                    + "changed; DUPL: addresses handed out twice while live; EXC: exceptions;",
            "MAPPED_PEAK, MAPPED_END: bytes mapped at the peak and after every free and trim(); FLOOR: what the "
                    + "allocator may keep mapped then (prewarm and a full LRU).");

    private static final String PROGRESS_GROUP = "stress";

    static void header(PrintWriter out) {
        out.printf("%-16s %7s %10s %10s %10s %9s %6s %6s %12s %12s %12s %7s %s%n", "STRATEGY", "THREADS", "ALLOCATED",
                "FREED", "HANDED", "CORRUPTED", "DUPL", "EXC", "MAPPED_PEAK", "MAPPED_END", "FLOOR", "SECONDS", "RESULT");
    }

    /** A mapped figure with its unit; "n/a" when the run never got to measure it. */
    private static String bytes(long v) {
        return v < 0 ? "n/a" : Bytes.format(v);
    }

    static void row(PrintWriter out, Report r) {
        out.printf("%-16s %7d %10d %10d %10d %9d %6d %6d %12s %12s %12s %7.2f %s%n", r.strategy(), r.threads(), r.allocated(),
                r.freed(), r.handedToOtherThreads(), r.corrupted(), r.duplicates(), r.exceptions(), bytes(r.mappedPeak()),
                bytes(r.mappedAfterFree()), bytes(r.retainedFloor()), r.seconds(), r.passed() ? "PASS" : "FAIL");
        for (String f : r.failures()) {
            out.println("    FAILURE: " + f);
        }
    }
}
