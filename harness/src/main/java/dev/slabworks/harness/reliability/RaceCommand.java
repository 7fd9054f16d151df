package dev.slabworks.harness.reliability;

import com.google.inject.Injector;
import dev.slabworks.testkit.campaign.RaceCampaign;
import dev.slabworks.testkit.campaign.RaceCampaign.Result;
import dev.slabworks.testkit.campaign.RaceCampaign.Scenario;
import dev.slabworks.api.validate.ValidationMode;
import dev.slabworks.harness.bench.Progress;
import dev.slabworks.harness.usage.BadInput;
import dev.slabworks.harness.wiring.Strategies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code slabworks race}: the multi-thread race campaign ({@link RaceCampaign}). Per strategy and validation
 * mode, in a JVM of its own unless {@code --in-process} (a crash is counted, not fatal): owner-vs-remote and
 * remote-vs-remote double frees for {@code --rounds} rounds each, the first remote free that shares a slab
 * against the owner's and another thread's frees, trim against remote frees, close against
 * calls in flight, and calls after close. Exit 0 only when no round had two winners or none, no block was
 * handed out twice or overwritten, no call threw what it should not, and no JVM crashed.
 */
@Command(name = "race", mixinStandardHelpOptions = true,
        description = "Race threads on each strategy in each validation mode: double frees from two threads, "
                + "trim and close against calls in flight, calls after close.")
public final class RaceCommand implements Callable<Integer> {
    @Mixin
    CampaignOptions campaign;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1000000",
            description = "Rounds of each double-free race (default ${DEFAULT-VALUE}); the other scenarios scale from it.")
    long rounds;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "owner-vs-remote, remote-vs-remote, sharing-vs-frees, trim-vs-free, close-vs-use, "
                    + "use-after-close or all "
                    + "(repeatable; default all).")
    List<String> scenarios = new ArrayList<>();


    @Spec
    CommandSpec spec;

    private final Supplier<Injector> injector;

    public RaceCommand() {
        this(Strategies::injector);
    }

    RaceCommand(Supplier<Injector> injector) {
        this.injector = injector;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        BadInput.atLeast(spec, "--rounds", rounds, 1);
        List<Scenario> chosenScenarios = scenarios(spec, scenarios);
        Targets.Chosen chosen = Targets.resolve(spec, injector, campaign.strategies, campaign.mode, campaign.preset,
                campaign.sets);
        Progress progress = campaign.noHeader ? Progress.silent() : Progress.forConsole(spec.commandLine().getErr());
        return CampaignLoop.run(out, progress, "race", "race", chosen, campaign.inProcess, (f, m) -> {
            boolean passed = true;
            for (Scenario s : chosenScenarios) {
                Result r = RaceCampaign.run(s, f, Targets.withMode(chosen.knobs(), m), roundsOf(s));
                progress.finish();
                row(out, f.name(), m, r);
                out.flush();
                passed &= r.passed();
            }
            return passed;
        }, this::childArgs, rounds + " rounds of each double-free race", campaign.noHeader ? null : () -> header(out), LEGEND);
    }

    /** The scenarios named ({@code all}, or none, is every one); an unknown name is a usage error. */
    static List<Scenario> scenarios(CommandSpec spec, List<String> names) {
        List<Scenario> out = new ArrayList<>();
        for (String name : names.isEmpty() ? List.of("all") : names) {
            if (name.equalsIgnoreCase("all")) {
                out.addAll(List.of(Scenario.values()));
                continue;
            }
            Scenario s = null;
            for (Scenario candidate : Scenario.values()) {
                if (label(candidate).equalsIgnoreCase(name)) {
                    s = candidate;
                }
            }
            if (s == null) {
                throw BadInput.error(spec, "no scenario '" + name + "'; scenarios: "
                        + Arrays.stream(Scenario.values()).map(RaceCommand::label).collect(Collectors.joining(", "))
                        + ", all");
            }
            out.add(s);
        }
        return out.stream().distinct().toList();
    }

    private static String label(Scenario s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Rounds of {@code s}: the double-free races run {@code --rounds}; the heavier scenarios fewer. */
    private long roundsOf(Scenario s) {
        return switch (s) {
            case OWNER_VS_REMOTE, REMOTE_VS_REMOTE -> rounds;
            case SHARING_VS_FREES -> Math.max(1, rounds / 20); // a fresh allocator per round
            case TRIM_VS_FREE -> Math.max(1, rounds / 1000);
            case CLOSE_VS_USE -> Math.max(1, Math.min(200, rounds / 5000));
            case USE_AFTER_CLOSE -> 1;
        };
    }

    private List<String> childArgs(String strategy, ValidationMode m) {
        List<String> a = campaign.childArgs("race", strategy, m);
        a.addAll(List.of("--rounds", Long.toString(rounds)));
        for (String s : scenarios) {
            a.add("--scenario");
            a.add(s);
        }
        return a;
    }

    /** What the columns mean, printed under the table. */
    static final List<String> LEGEND = List.of(
            "BOTH: rounds in which two racing frees of one block both succeeded; NEITHER: rounds in which neither did;",
            "DUPLICATES: blocks handed out while live; CORRUPTED: live blocks overwritten; OTHER: calls that threw what",
            "they should not. Each strategy and mode runs in a JVM of its own, so a crash is reported, not fatal.");

    static void header(PrintWriter out) {
        out.printf("%-14s %-14s %-16s %9s %6s %7s %10s %9s %6s %8s %s%n", "STRATEGY", "MODE", "SCENARIO", "ROUNDS",
                "BOTH", "NEITHER", "DUPLICATES", "CORRUPTED", "OTHER", "SECONDS", "RESULT");
    }

    static void row(PrintWriter out, String strategy, ValidationMode m, Result r) {
        out.printf("%-14s %-14s %-16s %9d %6d %7d %10d %9d %6d %8.2f %s%n", strategy, m,
                label(r.scenario()), r.rounds(), r.bothSucceeded(),
                r.neitherSucceeded(), r.duplicates(), r.corrupted(), r.unexpected(), r.seconds(),
                r.passed() ? "PASS" : "FAIL");
        for (String f : r.failures()) {
            out.println("    FAILURE: " + f);
        }
    }
}
