package dev.slabworks.api.knobs;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An immutable snapshot of every knob's effective value and where it came from. Allocators read
 * knobs only at creation, from the snapshot they are given, never from the environment.
 *
 * <p>A snapshot is resolved over a {@link KnobRegistry}: a command-line value must name one of its knobs, and
 * each of its knobs is read and checked at once. A knob outside the registry (a strategy's, in a snapshot made
 * from api's registry alone, as unit tests do) reads by the same precedence, without a command-line value, when
 * first asked for.
 */
public final class Knobs {
    private final KnobRegistry registry;
    private final Map<Knob, String> values;
    private final Map<Knob, KnobSource> sources;
    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;

    private Knobs(KnobRegistry registry, Map<Knob, String> values, Map<Knob, KnobSource> sources,
                  UnaryOperator<String> properties, UnaryOperator<String> environment) {
        this.registry = registry;
        this.values = values;
        this.sources = sources;
        this.properties = properties;
        this.environment = environment;
    }

    /** Every knob at its default. */
    public static Knobs defaults() {
        return resolve(KnobRegistry.API, Map.of(), key -> null, key -> null);
    }

    /** api's knobs for this process: {@code commandLine} over system properties over environment. */
    public static Knobs resolve(Map<String, String> commandLine) {
        return resolve(KnobRegistry.API, commandLine);
    }

    /** The knobs of {@code registry} for this process: {@code commandLine} over system properties over environment. */
    public static Knobs resolve(KnobRegistry registry, Map<String, String> commandLine) {
        return resolve(registry, commandLine, System::getProperty, System::getenv);
    }

    /** api's knobs with the property and environment look-ups given explicitly (for tests). */
    public static Knobs resolve(Map<String, String> commandLine, UnaryOperator<String> properties,
                                UnaryOperator<String> environment) {
        return resolve(KnobRegistry.API, commandLine, properties, environment);
    }

    /**
     * Resolution with the property and environment look-ups given explicitly (for tests).
     * {@code commandLine} keys may be knob keys or environment names of {@code registry}'s knobs.
     */
    public static Knobs resolve(KnobRegistry registry, Map<String, String> commandLine,
                                UnaryOperator<String> properties, UnaryOperator<String> environment) {
        Map<Knob, String> fromCommandLine = new HashMap<>();
        commandLine.forEach((name, value) -> fromCommandLine.put(registry.byName(name), value));
        Map<Knob, String> values = new LinkedHashMap<>();
        Map<Knob, KnobSource> sources = new LinkedHashMap<>();
        for (Knob knob : registry.all()) {
            Resolved r = resolve(knob, fromCommandLine.get(knob), properties, environment);
            values.put(knob, r.value());
            sources.put(knob, r.source());
        }
        return new Knobs(registry, values, sources, properties, environment);
    }

    /**
     * The value of a knob read once per JVM ({@link Knob#perJvm()}: {@link Knob#STATS}, a JIT constant), by the
     * same precedence and checks as every knob, from the system property, the environment or the default: no
     * snapshot exists yet when it is read. A command-line value reaches it as the system property, which the
     * harness's {@code main} sets before any allocator exists.
     */
    public static String perJvm(Knob knob) {
        if (!knob.perJvm()) {
            throw new IllegalArgumentException("knob " + knob.key() + " is read from a snapshot, not once per JVM");
        }
        return resolve(knob, null, System::getProperty, System::getenv).value();
    }

    private record Resolved(String value, KnobSource source) {
    }

    /** One knob: {@code commandLine} (null if none) over the property over the environment over the default, checked. */
    private static Resolved resolve(Knob knob, String commandLine, UnaryOperator<String> properties,
                                    UnaryOperator<String> environment) {
        String raw;
        KnobSource source;
        if (commandLine != null) {
            raw = commandLine;
            source = KnobSource.COMMAND_LINE;
        } else if ((raw = properties.apply(knob.propertyName())) != null) {
            source = KnobSource.SYSTEM_PROPERTY;
        } else if ((raw = environment.apply(knob.environmentName())) != null) {
            source = KnobSource.ENVIRONMENT;
        } else {
            raw = knob.defaultText();
            source = KnobSource.DEFAULT;
        }
        String origin = switch (source) {
            case COMMAND_LINE -> "--set";
            case SYSTEM_PROPERTY -> "system property " + knob.propertyName();
            case ENVIRONMENT -> "environment variable " + knob.environmentName();
            case DEFAULT -> "its default";
        };
        return new Resolved(knob.validate(raw, origin), source);
    }

    /**
     * {@code KEY=VALUE} pairs (split at the first {@code =}) into the map {@link #resolve(Map)} takes, a later pair
     * of a key winning, with an error naming the malformed one. The one parser of knob overrides: the harness's
     * {@code --set} options and the JMH suite's {@code -p set=...} param both go through it; keys and values are
     * checked against the knob table afterwards, by {@link #resolve}.
     */
    public static Map<String, String> parsePairs(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : pairs) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set takes KEY=VALUE, not '" + s + "'");
            }
            out.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return out;
    }

    /** A copy with {@code knob} set as if from the command line. */
    public Knobs with(Knob knob, Object value) {
        Map<Knob, String> v = new LinkedHashMap<>(values);
        Map<Knob, KnobSource> s = new LinkedHashMap<>(sources);
        v.put(knob, knob.validate(String.valueOf(value), "with()"));
        s.put(knob, KnobSource.COMMAND_LINE);
        return new Knobs(registry, v, s, properties, environment);
    }

    /** The knobs this snapshot holds a value for: its registry's, then those set by {@link #with}. */
    public java.util.Set<Knob> known() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    /** The registry this snapshot was resolved over. */
    public KnobRegistry registry() {
        return registry;
    }

    public String text(Knob knob) {
        String v = values.get(knob);
        return v != null ? v : resolve(knob, null, properties, environment).value();
    }

    public long longValue(Knob knob) {
        requireType(knob, KnobType.INTEGER, KnobType.SIZE);
        return Long.parseLong(text(knob));
    }

    public int intValue(Knob knob) {
        return Math.toIntExact(longValue(knob));
    }

    public double decimal(Knob knob) {
        requireType(knob, KnobType.DECIMAL);
        return Double.parseDouble(text(knob));
    }

    public boolean flag(Knob knob) {
        requireType(knob, KnobType.FLAG);
        return Boolean.parseBoolean(text(knob));
    }

    /** A {@link KnobType#CHOICE} knob as the constant of {@code type} with the same name. */
    public <E extends Enum<E>> E choice(Knob knob, Class<E> type) {
        requireType(knob, KnobType.CHOICE);
        return Enum.valueOf(type, text(knob));
    }

    public KnobSource source(Knob knob) {
        KnobSource s = sources.get(knob);
        return s != null ? s : resolve(knob, null, properties, environment).source();
    }

    /** Every knob's effective value by key, in registry order, those set by {@link #with} after: what a results file records. */
    public Map<String, String> effective() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k.key(), v));
        return Collections.unmodifiableMap(out);
    }

    private static void requireType(Knob knob, KnobType... accepted) {
        for (KnobType t : accepted) {
            if (knob.type() == t) {
                return;
            }
        }
        throw new IllegalArgumentException("knob " + knob.key() + " is of type " + knob.type());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Knobs k && k.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return effective().toString();
    }
}
