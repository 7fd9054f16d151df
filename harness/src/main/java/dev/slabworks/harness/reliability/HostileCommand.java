package dev.slabworks.harness.reliability;

import com.google.inject.Injector;
import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.testkit.campaign.HostileFreeCampaign;
import dev.slabworks.testkit.campaign.HostileFreeCampaign.Report;
import dev.slabworks.testkit.campaign.HostileFreeCampaign.Throw;
import dev.slabworks.api.validate.ValidationMode;
import dev.slabworks.harness.bench.Progress;
import dev.slabworks.harness.usage.BadInput;
import dev.slabworks.harness.wiring.Strategies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code slabworks hostile}: the hostile-free campaign. Per strategy and validation mode,
 * {@code --frees} invalid frees of every kind against live blocks, interleaved with valid traffic; a
 * table of what was caught by kind and of every failure figure. Each campaign runs in its own JVM
 * unless {@code --in-process}, so a JVM crash is counted rather than fatal. Exit 0 only when every
 * campaign ended with no accepted invalid free, wrong kind, false rejection, corrupted block,
 * unexpected exception or crash.
 */
@Command(name = "hostile", mixinStandardHelpOptions = true,
        description = "Throw N invalid frees of every kind at each strategy in each validation mode while live blocks are checked.")
public final class HostileCommand implements Callable<Integer> {
    @Mixin
    CampaignOptions campaign;

    @Option(names = "--frees", paramLabel = "N", defaultValue = "1000000", description = "Invalid frees per campaign (default ${DEFAULT-VALUE}).")
    long frees;

    @Option(names = "--live", paramLabel = "N", defaultValue = "1000", description = "Live blocks held and checked (default ${DEFAULT-VALUE}).")
    int live;

    @Option(names = "--verify-every", paramLabel = "N", defaultValue = "1000",
            description = "Verify every live block after this many invalid frees (default ${DEFAULT-VALUE}).")
    int verifyEvery;

    @Option(names = "--seed", defaultValue = "8", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;


    @Spec
    CommandSpec spec;

    private final Supplier<Injector> injector;

    public HostileCommand() {
        this(Strategies::injector);
    }

    /** For tests: strategies come from {@code injector} (e.g. with a test module), campaigns run in process. */
    HostileCommand(Supplier<Injector> injector) {
        this.injector = injector;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        BadInput.atLeast(spec, "--frees", frees, 1);
        BadInput.atLeast(spec, "--live", live, 1);
        BadInput.atLeast(spec, "--verify-every", verifyEvery, 1);
        Targets.Chosen chosen = Targets.resolve(spec, injector, campaign.strategies, campaign.mode, campaign.preset,
                campaign.sets);
        Progress progress = campaign.noHeader ? Progress.silent() : Progress.forConsole(spec.commandLine().getErr());
        return CampaignLoop.run(out, progress, PROGRESS_GROUP, "hostile", chosen, campaign.inProcess, (f, m) -> {
            Report r = HostileFreeCampaign.run(f, Targets.withMode(chosen.knobs(), m), frees, live, verifyEvery, seed);
            progress.finish();
            row(out, r);
            return r.passed();
        }, this::childArgs, frees + " invalid frees", campaign.noHeader ? null : () -> header(out), LEGEND);
    }

    private List<String> childArgs(String strategy, ValidationMode m) {
        List<String> a = campaign.childArgs("hostile", strategy, m);
        a.addAll(List.of("--frees", Long.toString(frees), "--live", Integer.toString(live),
                "--verify-every", Integer.toString(verifyEvery), "--seed", Long.toString(seed)));
        return a;
    }

    /** What the header's abbreviations mean, printed under the table. */
    static final List<String> LEGEND = List.of(
            "INVALID: invalid frees thrown (by where they point: 'thrown by target'); FOREIGN, INTERIOR, DOUBLE: those "
                    + "rejected, by the kind the strategy named.",
            "ACCEPTED: invalid frees not rejected; WRONG: rejected with the wrong kind; OTHER: an exception other than "
                    + "InvalidFreeException; FALSE: valid frees rejected;",
            "CORRUPTED: live blocks whose contents changed; VALIDOPS: valid allocations and frees in between. "
                    + "PASS needs 0 in ACCEPTED to CORRUPTED.");

    private static final String PROGRESS_GROUP = "campaign";

    static void header(PrintWriter out) {
        out.printf("%-16s %-14s %9s | %9s %9s %9s | %8s %6s %6s %6s %9s | %8s %7s %s%n", "STRATEGY", "MODE", "INVALID",
                "FOREIGN", "INTERIOR", "DOUBLE", "ACCEPTED", "WRONG", "OTHER", "FALSE", "CORRUPTED", "VALIDOPS", "SECONDS",
                "RESULT");
    }

    static void row(PrintWriter out, Report r) {
        long thrown = r.thrown().values().stream().mapToLong(Long::longValue).sum();
        out.printf("%-16s %-14s %9d | %9d %9d %9d | %8d %6d %6d %6d %9d | %8d %7.2f %s%n", r.strategy(), r.mode(), thrown,
                r.caught().get(Kind.FOREIGN), r.caught().get(Kind.INTERIOR), r.caught().get(Kind.DOUBLE_FREE),
                r.acceptedInvalidFrees(), r.wrongKinds(), r.otherExceptions(), r.falseRejections(), r.corruptedBlocks(),
                r.validAllocations() + r.validFrees(), r.seconds(), r.passed() ? "PASS" : "FAIL");
        StringBuilder by = new StringBuilder("    thrown by target:");
        for (Throw t : Throw.values()) {
            by.append(' ').append(t.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(r.thrown().get(t));
        }
        out.println(by);
        for (String f : r.failures()) {
            out.println("    FAILURE: " + f);
        }
    }
}
