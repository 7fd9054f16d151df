package dev.slabworks.benchmarks;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.wiring.Contenders;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What the suite runs on, from the harness's Guice wiring ({@link Contenders}: every strategy module
 * on the class path, every native baseline, one knob snapshot), plus {@code none}, the ceiling.
 * Benchmarks read no system property: the strategy and the knobs come from JMH {@code @Param}s.
 */
final class Suite {
    /** Between the pairs of the {@code set} param ({@code ,} cannot be: JMH splits param values on it). */
    static final String SET_SEPARATOR = ";";

    private Suite() {
    }

    /** Every contender the wiring knows, available or not, with default knobs. */
    static List<Contender> contenders() {
        return Contenders.create(Map.of()).all();
    }

    /**
     * The {@code strategy} values a run takes: those {@code requested} (null = every contender and
     * {@code none}), less the baselines that cannot run here, each skipped with one line on
     * {@code err} saying why. An unknown name, or nothing left to run, is an
     * {@link IllegalArgumentException} naming what is accepted.
     */
    static List<String> runnable(List<String> requested, List<Contender> contenders, PrintStream err) {
        Map<String, Contender> byName = new LinkedHashMap<>();
        contenders.forEach(c -> byName.put(c.name(), c));
        List<String> names = new ArrayList<>();
        if (requested == null) {
            names.addAll(byName.keySet());
            names.add(NoAllocation.NAME);
        } else {
            names.addAll(new LinkedHashSet<>(requested));
        }
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (NoAllocation.NAME.equals(name)) {
                out.add(name);
                continue;
            }
            Contender c = byName.get(name);
            if (c == null) {
                throw new IllegalArgumentException("unknown strategy '" + name + "'; accepted: "
                        + String.join(", ", byName.keySet()) + ", " + NoAllocation.NAME);
            }
            if (!c.available()) {
                err.println("slabworks jmh: skipping baseline '" + name + "': " + c.unavailable());
                continue;
            }
            out.add(name);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("nothing to run: none of " + names + " can run here");
        }
        return out;
    }

    /** The baselines' names (their syscalls are invisible to slabworks). */
    static List<String> baselineNames() {
        List<String> names = new ArrayList<>();
        for (Contender c : contenders()) {
            if (c.kind() == Contender.Kind.BASELINE) {
                names.add(c.name());
            }
        }
        return names;
    }

    /**
     * The allocator of {@code name} with the knobs of {@code set}, made through the wiring; an unknown
     * name or a baseline that cannot run fails with what is accepted (JMH then reports that parameter
     * set as failed and goes on).
     */
    static Allocator allocator(String name, String set) {
        Contenders contenders = Contenders.create(knobs(set));
        if (NoAllocation.NAME.equals(name)) {
            return NoAllocation.FACTORY.create(contenders.knobs());
        }
        return contenders.select(List.of(name)).getFirst().factory().create(contenders.knobs());
    }

    /**
     * The {@code set} param to knob overrides: split on {@value #SET_SEPARATOR}, each pair stripped and
     * blank ones dropped, then the pairs parsed by the harness's own {@code --set} parser
     * ({@link Knobs#parsePairs}), so a malformed pair fails with the same message as a malformed
     * {@code --set}. Blank means defaults. Unknown knobs and bad values are caught where the overrides
     * are resolved ({@link Knobs#resolve}, through {@link #allocator}).
     */
    static Map<String, String> knobs(String set) {
        if (set == null || set.isBlank()) {
            return new LinkedHashMap<>();
        }
        List<String> pairs = new ArrayList<>();
        for (String pair : set.split(SET_SEPARATOR)) {
            if (!pair.isBlank()) {
                pairs.add(pair.strip());
            }
        }
        return Knobs.parsePairs(pairs);
    }
}
