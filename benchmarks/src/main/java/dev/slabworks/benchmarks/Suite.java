package dev.slabworks.benchmarks;

import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.wiring.Contenders;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the suite runs on, from the harness's Guice wiring ({@link Contenders}: every strategy module
 * on the class path, every native baseline, one knob snapshot), plus {@code none}, the ceiling.
 * Benchmarks read no system property: the strategy and the knobs come from JMH {@code @Param}s.
 */
final class Suite {
    /** The {@code set} param: {@code key=value} pairs separated by {@code ;} (JMH splits param values on {@code ,}). */
    static final String SET_SEPARATOR = ";";

    private Suite() {
    }

    /** The contenders a run can take: every available strategy and baseline, then {@code none}. */
    static List<String> availableNames() {
        List<String> names = new ArrayList<>();
        for (Contender c : Contenders.create(Map.of()).all()) {
            if (c.available()) {
                names.add(c.name());
            }
        }
        names.add(NoAllocation.NAME);
        return names;
    }

    /** The baselines' names (their syscalls are invisible to slabworks). */
    static List<String> baselineNames() {
        List<String> names = new ArrayList<>();
        for (Contender c : Contenders.create(Map.of()).all()) {
            if (c.kind() == Contender.Kind.BASELINE) {
                names.add(c.name());
            }
        }
        return names;
    }

    /**
     * The factory of {@code name} with the knobs of {@code set}; an unknown name or a baseline not
     * installed fails with what is accepted (JMH then reports that parameter set as failed and goes on).
     */
    static Contestant contestant(String name, String set) {
        Contenders contenders = Contenders.create(knobs(set));
        if (NoAllocation.NAME.equals(name)) {
            return new Contestant(NoAllocation.FACTORY.create(contenders.knobs()), false);
        }
        Contender c = contenders.all().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("strategy '" + name + "' is not found by the Guice wiring; accepted here: "
                        + String.join(", ", availableNamesOf(contenders))));
        if (!c.available()) {
            throw new IllegalArgumentException("baseline '" + name + "' is " + c.unavailable());
        }
        return new Contestant(c.factory().create(contenders.knobs()), c.kind() == Contender.Kind.BASELINE);
    }

    private static List<String> availableNamesOf(Contenders contenders) {
        List<String> names = new ArrayList<>();
        contenders.all().stream().filter(Contender::available).forEach(c -> names.add(c.name()));
        names.add(NoAllocation.NAME);
        return names;
    }

    /** {@code "a=1;b=2"} to a map; blank means defaults. */
    static Map<String, String> knobs(String set) {
        Map<String, String> out = new LinkedHashMap<>();
        if (set == null || set.isBlank()) {
            return out;
        }
        for (String pair : set.split(SET_SEPARATOR)) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("param set: expected KEY=VALUE pairs separated by '" + SET_SEPARATOR
                        + "', not '" + pair + "'");
            }
            out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return out;
    }

    /** An allocator made for one trial, and whether its syscalls are invisible (a native baseline). */
    record Contestant(dev.slabworks.api.Allocator allocator, boolean nativeBaseline) {
    }
}
