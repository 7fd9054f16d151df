package dev.slabworks.harness.reliability;

import com.google.inject.Injector;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.validate.ValidationMode;
import dev.slabworks.harness.wiring.Strategies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a reliability command runs against: strategies by name (or {@code all}) from Guice, and
 * validation modes by name (or {@code all}), resolved with a clear error for an unknown name.
 */
final class Targets {
    private Targets() {
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
                throw new IllegalArgumentException("no strategy named '" + name + "'; found: "
                        + (found.isEmpty() ? "none (no strategy module on the class path)" : String.join(", ", found.keySet())));
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
        return Knobs.resolve(Knobs.parsePairs(sets));
    }

    static Knobs withMode(Knobs knobs, ValidationMode mode) {
        return knobs.with(Knob.VALIDATION, mode);
    }
}
