package dev.slabworks.api.knobs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The knobs of one program, each with the module that declared it: api's, then whatever the program adds
 * (the harness's, each strategy's). One name means one knob: a key or environment name declared twice (by two
 * strategies, or a plugin and a built-in) is refused with both declarers named. The same {@link Knob} added
 * again (a strategy listing one of api's) is not a clash; it keeps its first declarer.
 */
public final class KnobRegistry {
    /** api's knobs alone: what a snapshot made without a program's registry knows by name. */
    public static final KnobRegistry API = builder().build();

    private final Map<Knob, String> declarers;

    private KnobRegistry(Map<Knob, String> declarers) {
        this.declarers = declarers;
    }

    /** A registry starting with api's knobs. */
    public static Builder builder() {
        return new Builder().add("api", Knob.all());
    }

    /** Every knob in declaration order: api's first, then each addition's. */
    public List<Knob> all() {
        return List.copyOf(declarers.keySet());
    }

    public boolean contains(Knob knob) {
        return declarers.containsKey(knob);
    }

    /** Who declared {@code knob}: {@code api}, {@code harness}, a strategy's name, a plugin's jar. */
    public String declarer(Knob knob) {
        String d = declarers.get(knob);
        if (d == null) {
            throw new IllegalArgumentException("knob " + knob.key() + " is not in this registry");
        }
        return d;
    }

    /** The knob named by its key or its environment name, in any case, or a {@link KnobException} listing the keys. */
    public Knob byName(String name) {
        String wanted = name.trim();
        for (Knob k : declarers.keySet()) {
            if (k.key().equalsIgnoreCase(wanted) || k.environmentName().equalsIgnoreCase(wanted)) {
                return k;
            }
        }
        List<String> keys = new ArrayList<>();
        declarers.keySet().forEach(k -> keys.add(k.key()));
        throw new KnobException("no knob named '" + name + "'; knobs are: "
                + String.join(", ", keys).toLowerCase(Locale.ROOT));
    }

    /** Collects knobs by declarer; {@link #build} checks that no two share a name. */
    public static final class Builder {
        private final Map<Knob, String> declarers = new IdentityHashMap<>();
        private final List<Knob> order = new ArrayList<>();

        private Builder() {
        }

        /** {@code knobs}, declared by {@code declarer}; a clash with a knob already added is a {@link KnobException}. */
        public Builder add(String declarer, Collection<Knob> knobs) {
            for (Knob knob : knobs) {
                if (declarers.containsKey(knob)) {
                    continue;
                }
                for (Knob other : order) {
                    if (sameName(knob, other)) {
                        throw new KnobException("knob " + knob.key() + " (" + knob.environmentName() + ") of "
                                + declarer + " clashes with knob " + other.key() + " (" + other.environmentName()
                                + ") of " + declarers.get(other) + ": one name, one knob");
                    }
                }
                declarers.put(knob, declarer);
                order.add(knob);
            }
            return this;
        }

        private static boolean sameName(Knob a, Knob b) {
            return a.key().equalsIgnoreCase(b.key()) || a.environmentName().equalsIgnoreCase(b.environmentName())
                    || a.key().equalsIgnoreCase(b.environmentName()) || a.environmentName().equalsIgnoreCase(b.key());
        }

        public KnobRegistry build() {
            Map<Knob, String> ordered = new LinkedHashMap<>();
            order.forEach(k -> ordered.put(k, declarers.get(k)));
            return new KnobRegistry(ordered);
        }
    }
}
