package dev.slabworks.harness.wiring;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.baseline.NativeBaselineFactory;
import dev.slabworks.harness.baseline.NativeLibrary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a command can run, by name: the strategies (sorted) then the baselines (glibc,
 * jemalloc, mimalloc, tcmalloc), with the knob snapshot they are made with.
 */
public final class Contenders {
    /** The {@code --strategy} value that means every strategy and every installed baseline. */
    public static final String ALL = "all";

    private final Map<String, Contender> byName = new LinkedHashMap<>();
    private final Knobs knobs;

    private Contenders(Map<String, AllocatorFactory> strategies, Map<String, NativeLibrary> baselines, Knobs knobs) {
        this.knobs = knobs;
        new TreeMap<>(strategies).forEach((name, f) ->
                byName.put(name, new Contender(name, Contender.Kind.STRATEGY, f.description(), f, null)));
        baselines.values().stream().sorted().forEach(lib -> {
            String unavailable = lib.unavailableReason();
            byName.put(lib.baselineName(), new Contender(lib.baselineName(), Contender.Kind.BASELINE, lib.description(),
                    unavailable == null ? new NativeBaselineFactory(lib) : null, unavailable));
        });
    }

    /** The contenders of a command whose knobs come from {@code sets} (plus anything in {@code extra}). */
    public static Contenders create(Map<String, String> sets, com.google.inject.Module... extra) {
        List<com.google.inject.Module> modules = new ArrayList<>(List.of(new BaselinesModule()));
        modules.addAll(List.of(extra));
        Injector injector = Strategies.injector(modules.toArray(com.google.inject.Module[]::new));
        Map<String, AllocatorFactory> strategies = Strategies.factories(injector);
        Knobs knobs = Knobs.resolve(Strategies.knobRegistry(strategies), sets);
        return new Contenders(strategies, injector.getInstance(Key.get(new TypeLiteral<Map<String, NativeLibrary>>() { })),
                knobs);
    }

    public Knobs knobs() {
        return knobs;
    }

    /** Every contender, available or not. */
    public List<Contender> all() {
        return List.copyOf(byName.values());
    }

    /**
     * The contenders named, in the order given, duplicates dropped; {@code all} expands to every
     * strategy and installed baseline. An unknown name or a baseline not installed is an error that
     * lists what is accepted.
     */
    public List<Contender> select(List<String> names) {
        Map<String, Contender> out = new LinkedHashMap<>();
        for (String name : names) {
            if (ALL.equals(name)) {
                byName.values().stream().filter(Contender::available).forEach(c -> out.putIfAbsent(c.name(), c));
                continue;
            }
            Contender c = byName.get(name);
            if (c == null) {
                throw new IllegalArgumentException("unknown strategy '" + name + "'; accepted: " + ALL + ", "
                        + String.join(", ", byName.keySet()));
            }
            if (!c.available()) {
                throw new IllegalArgumentException("baseline '" + name + "' is " + c.unavailable());
            }
            out.putIfAbsent(name, c);
        }
        return List.copyOf(out.values());
    }
}
