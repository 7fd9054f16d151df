package dev.slabworks.harness;

import dev.slabworks.harness.cli.SlabworksCommand;
import picocli.CommandLine;

/** Entry point of the {@code ./slabworks} command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return SlabworksCommand.commandLine().execute(args);
    }
}
