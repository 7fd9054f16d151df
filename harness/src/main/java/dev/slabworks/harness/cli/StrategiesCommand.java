package dev.slabworks.harness.cli;

import dev.slabworks.harness.wiring.Contender;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code slabworks strategies}: the strategies Guice found and the native baselines, installed or not. */
@Command(name = "strategies", mixinStandardHelpOptions = true,
        description = "List the allocator strategies found on the class path and the native baselines (installed or not).")
public final class StrategiesCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<Contender> all = Measurement.contenders(spec, Measurement.split(spec, null, List.of())).all();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-16s %-9s %-15s %s%n", "NAME", "KIND", "STATUS", "DESCRIPTION");
        for (Contender c : all) {
            out.printf("%-16s %-9s %-15s %s%n", c.name(), c.kind().key(), status(c),
                    c.available() ? c.description() : c.description() + "; " + c.unavailable());
        }
        if (all.stream().noneMatch(c -> c.kind() == Contender.Kind.STRATEGY)) {
            out.println("(no strategy module on the class path)");
        }
        out.flush();
        return 0;
    }

    private static String status(Contender c) {
        if (c.available()) {
            return "available";
        }
        return c.unavailable().startsWith("not installed") ? "not installed" : "not loadable";
    }
}
