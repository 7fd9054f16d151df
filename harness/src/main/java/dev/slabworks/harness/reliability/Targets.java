package dev.slabworks.harness.reliability;

import com.google.inject.Injector;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.validate.ValidationMode;
import dev.slabworks.harness.usage.BadInput;
import dev.slabworks.harness.usage.KnobCheck;
import dev.slabworks.harness.wiring.Strategies;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a reliability command runs against: strategies by name (or {@code all}) from Guice, and
 * validation modes by name (or {@code all}), resolved with a clear error for an unknown name; the
 * command-line forms ({@link #resolve}) turn every such error into a usage error (exit 2), and check
 * that each strategy accepts the knobs before any campaign starts.
 */
final class Targets {
    private Targets() {
    }

    /** What a command asked for: its strategies, validation modes and knobs. */
    record Chosen(List<AllocatorFactory> factories, List<ValidationMode> modes, Knobs knobs) {
    }

    /**
     * The strategies, modes and knobs of a command, or a usage error of {@code spec}: an unknown name, a bad knob, or
     * a strategy that refuses the knobs ({@link KnobCheck}).
     */
    static Chosen resolve(CommandSpec spec, Supplier<Injector> injector, List<String> names, String mode, List<String> sets) {
        List<AllocatorFactory> factories = BadInput.check(spec, () -> strategies(injector.get(), names));
        List<ValidationMode> modes = BadInput.check(spec, () -> modes(mode));
        Knobs knobs = BadInput.check(spec, () -> knobs(sets));
        for (AllocatorFactory f : factories) {
            KnobCheck.accepts(spec, f, knobs);
        }
        return new Chosen(factories, modes, knobs);
    }

    /** The factories named in {@code names} ({@code all} = every one Guice found), in name order. */
    static List<AllocatorFactory> strategies(Injector injector, List<String> names) {
        Map<String, AllocatorFactory> found = Strategies.factories(injector);
        List<AllocatorFactory> out = new ArrayList<>();
        for (String name : names.isEmpty() ? List.of("all") : names) {
            if (name.equalsIgnoreCase("all")) {
                found.values().stream().filter(f -> !out.contains(f)).forEach(out::add);
            } else if (found.containsKey(name)) {
                if (!out.contains(found.get(name))) {
                    out.add(found.get(name));
                }
            } else {
                throw new IllegalArgumentException("no strategy named '" + name + "'; strategies: "
                        + (found.isEmpty() ? "none (no strategy module on the class path)" : String.join(", ", found.keySet()))
                        + " (native baselines are not run here: they cannot reject an invalid free)");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no strategy to run: no strategy module on the class path");
        }
        return out;
    }

    /** The validation modes named by {@code name} ({@code all} = every mode). */
    static List<ValidationMode> modes(String name) {
        if (name.equalsIgnoreCase("all")) {
            return List.of(ValidationMode.values());
        }
        try {
            return List.of(ValidationMode.valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no validation mode '" + name + "'; modes: REGISTRY, MINCORE, MINCORE_CACHED, all");
        }
    }

    /** Knobs resolved from {@code --set KEY=VALUE} pairs, properties and environment. */
    static Knobs knobs(List<String> sets) {
        return Strategies.resolveKnobs(Knobs.parsePairs(sets));
    }

    static Knobs withMode(Knobs knobs, ValidationMode mode) {
        return knobs.with(Knob.VALIDATION, mode);
    }
}
