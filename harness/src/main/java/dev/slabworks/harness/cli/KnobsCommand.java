package dev.slabworks.harness.cli;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.usage.BadInput;
import dev.slabworks.harness.wiring.Strategies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code slabworks knobs}: the knob table with each knob's effective value and its source. */
@Command(name = "knobs", mixinStandardHelpOptions = true,
        description = "Print every knob: key, environment name, effective value, source, default, who declares it, "
                + "meaning and accepted values.")
public final class KnobsCommand implements Callable<Integer> {
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set a knob (repeatable).")
    List<String> sets = List.of();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Knobs knobs = BadInput.check(spec, () -> Strategies.resolveKnobs(Knobs.parsePairs(sets)));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KEY", "ENVIRONMENT", "VALUE", "SOURCE", "DEFAULT", "DECLARER", "MEANING [ACCEPTED]"});
        for (Knob k : knobs.registry().all()) {
            rows.add(new String[] {k.key(), k.environmentName(), knobs.text(k),
                    knobs.source(k).name().toLowerCase(Locale.ROOT), k.defaultText(), knobs.registry().declarer(k),
                    k.meaning() + " [" + k.accepted() + "]"});
        }
        PrintWriter out = spec.commandLine().getOut();
        printColumns(rows, out);
        out.flush();
        return 0;
    }

    /** Rows as left-aligned columns, each as wide as its widest cell; the last column is not padded. */
    static void printColumns(List<String[]> rows, PrintWriter out) {
        int columns = rows.getFirst().length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns - 1; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns - 1; i++) {
                line.append(row[i]).append(" ".repeat(width[i] - row[i].length() + 1));
            }
            out.println(line.append(row[columns - 1]));
        }
    }
}
