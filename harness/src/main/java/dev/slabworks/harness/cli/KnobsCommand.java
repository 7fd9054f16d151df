package dev.slabworks.harness.cli;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code slabworks knobs}: the knob table with each knob's effective value and its source. */
@Command(name = "knobs", mixinStandardHelpOptions = true,
        description = "Print every knob: key, environment name, effective value, source, default, accepted values, meaning.")
public final class KnobsCommand implements Callable<Integer> {
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set a knob (repeatable).")
    List<String> sets = List.of();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Knobs knobs = Knobs.resolve(Knobs.parsePairs(sets));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-22s %-28s %-10s %-15s %-10s %s%n", "KEY", "ENVIRONMENT", "VALUE", "SOURCE", "DEFAULT", "MEANING");
        for (Knob k : Knob.values()) {
            out.printf("%-22s %-28s %-10s %-15s %-10s %s [%s]%n", k.key(), k.environmentName(), knobs.text(k),
                    knobs.source(k).name().toLowerCase(java.util.Locale.ROOT), k.defaultText(), k.meaning(), k.accepted());
        }
        out.flush();
        return 0;
    }
}
