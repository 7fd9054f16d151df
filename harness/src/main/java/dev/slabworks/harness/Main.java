package dev.slabworks.harness;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.harness.cli.SlabworksCommand;

/** Entry point of the {@code ./slabworks} command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String stats = staticStatsKnob(args);
        if (stats != null) {
            // Stats.ENABLED is a JIT constant read once per JVM, before any allocator exists: a command-line
            // value must be a system property by then, or it would be ignored.
            System.setProperty(Knob.STATS.propertyName(), stats);
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return SlabworksCommand.commandLine().execute(args);
    }

    /** The last {@code --set stats=V} (or {@code --set=stats=V}) among {@code args}, or null. */
    static String staticStatsKnob(String[] args) {
        String prefix = Knob.STATS.key() + "=";
        String value = null;
        for (int i = 0; i < args.length; i++) {
            String setting = null;
            if (args[i].equals("--set") && i + 1 < args.length) {
                setting = args[++i];
            } else if (args[i].startsWith("--set=")) {
                setting = args[i].substring("--set=".length());
            }
            if (setting != null && setting.startsWith(prefix)) {
                value = setting.substring(prefix.length());
            }
        }
        return value;
    }
}
