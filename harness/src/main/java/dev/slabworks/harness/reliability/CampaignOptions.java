package dev.slabworks.harness.reliability;

import dev.slabworks.api.validate.ValidationMode;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The options every campaign command ({@code hostile}, {@code race}) takes, and their share of a child JVM's arguments. */
final class CampaignOptions {
    @Option(names = "--strategy", paramLabel = "NAME", description = "Strategy name or 'all' (repeatable; default all).")
    List<String> strategies = new ArrayList<>();

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "all",
            description = "Validation mode: REGISTRY, MINCORE, MINCORE_CACHED or all (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set a knob (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--preset", paramLabel = "NAME", description = "Start from a named set of knob values; a --set wins.")
    String preset;

    @Option(names = "--in-process", description = "Run every campaign in this JVM (a crash then ends the run).")
    boolean inProcess;

    @Option(names = "--no-header", hidden = true)
    boolean noHeader;

    /** The start of a child JVM's command line: one campaign of {@code verb}, in process, without the header. */
    List<String> childArgs(String verb, String strategy, ValidationMode m) {
        List<String> a = new ArrayList<>(List.of(verb, "--in-process", "--no-header", "--strategy", strategy,
                "--mode", m.name()));
        if (preset != null) {
            a.add("--preset");
            a.add(preset);
        }
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        return a;
    }
}
