package dev.slabworks.harness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code slabworks}: the root command; its subcommands are the workbench's verbs. */
@Command(name = "slabworks", mixinStandardHelpOptions = true, version = "slabworks 0.1.0",
        description = "A research workbench for off-heap memory allocators.",
        subcommands = {KnobsCommand.class, StrategiesCommand.class, CommandLine.HelpCommand.class,
                dev.slabworks.harness.reliability.HostileCommand.class, dev.slabworks.harness.reliability.StressCommand.class,
                dev.slabworks.harness.reliability.FuzzCommand.class})
public final class SlabworksCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SlabworksCommand());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("slabworks: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("slabworks: " + ex.getMessage());
            return 1;
        });
        return cl;
    }
}
