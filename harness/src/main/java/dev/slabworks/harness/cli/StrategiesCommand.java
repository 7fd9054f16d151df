package dev.slabworks.harness.cli;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.harness.wiring.Strategies;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code slabworks strategies}: the strategies Guice found. */
@Command(name = "strategies", mixinStandardHelpOptions = true,
        description = "List the allocator strategies found on the class path (and, later, the native baselines).")
public final class StrategiesCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, AllocatorFactory> factories = Strategies.factories(Strategies.injector());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-16s %-9s %s%n", "NAME", "KIND", "DESCRIPTION");
        factories.forEach((name, f) -> out.printf("%-16s %-9s %s%n", name, "strategy", f.description()));
        if (factories.isEmpty()) {
            out.println("(no strategy module on the class path)");
        }
        out.flush();
        return 0;
    }
}
