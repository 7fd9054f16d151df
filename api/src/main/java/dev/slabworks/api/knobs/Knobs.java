package dev.slabworks.api.knobs;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An immutable snapshot of every knob's effective value and where it came from. Allocators read
 * knobs only at creation, from the snapshot they are given, never from the environment.
 */
public final class Knobs {
    private final EnumMap<Knob, String> values;
    private final EnumMap<Knob, KnobSource> sources;

    private Knobs(EnumMap<Knob, String> values, EnumMap<Knob, KnobSource> sources) {
        this.values = values;
        this.sources = sources;
    }

    /** Every knob at its default. */
    public static Knobs defaults() {
        return resolve(Map.of(), key -> null, key -> null);
    }

    /** Every knob at its default, but those {@code preset} sets (tests, and configurations named after a preset). */
    public static Knobs defaults(Preset preset) {
        return resolve(Map.of(), preset, key -> null, key -> null);
    }

    /** The effective values for this process: {@code commandLine} over system properties over environment. */
    public static Knobs resolve(Map<String, String> commandLine) {
        return resolve(commandLine, null);
    }

    /** {@code commandLine} over {@code preset} (null: none) over system properties over environment over defaults. */
    public static Knobs resolve(Map<String, String> commandLine, Preset preset) {
        return resolve(commandLine, preset, System::getProperty, System::getenv);
    }

    /**
     * Resolution with the property and environment look-ups given explicitly (for tests).
     * {@code commandLine} keys may be knob keys or environment names.
     */
    public static Knobs resolve(Map<String, String> commandLine, UnaryOperator<String> properties,
                                UnaryOperator<String> environment) {
        return resolve(commandLine, null, properties, environment);
    }

    /** {@link #resolve(Map, Preset)} with the property and environment look-ups given explicitly (for tests). */
    public static Knobs resolve(Map<String, String> commandLine, Preset preset, UnaryOperator<String> properties,
                                UnaryOperator<String> environment) {
        Map<Knob, String> fromCommandLine = new EnumMap<>(Knob.class);
        commandLine.forEach((name, value) -> fromCommandLine.put(Knob.byName(name), value));
        Map<Knob, String> fromPreset = new EnumMap<>(Knob.class);
        if (preset != null) {
            preset.settings().forEach(s -> fromPreset.put(Knob.byName(s.key()), s.value()));
        }
        EnumMap<Knob, String> values = new EnumMap<>(Knob.class);
        EnumMap<Knob, KnobSource> sources = new EnumMap<>(Knob.class);
        for (Knob knob : Knob.values()) {
            Resolved r = fromCommandLine.containsKey(knob) || !fromPreset.containsKey(knob)
                    ? resolve(knob, fromCommandLine.get(knob), properties, environment)
                    : new Resolved(knob.validate(fromPreset.get(knob), "preset " + preset.presetName()),
                            KnobSource.PRESET);
            values.put(knob, r.value());
            sources.put(knob, r.source());
        }
        return new Knobs(values, sources);
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
            case PRESET -> "a preset";
            case SYSTEM_PROPERTY -> "system property " + knob.propertyName();
            case ENVIRONMENT -> "environment variable " + knob.environmentName();
            case DEFAULT -> "its default";
        };
        return new Resolved(knob.validate(raw, origin), source);
    }

    /**
     * The knobs of a command line: its {@code --set KEY=VALUE} words over the preset named {@code presetName} (null:
     * none) over properties, environment and defaults. A bad pair, name or value is a {@link KnobException} or an
     * {@link IllegalArgumentException} naming it.
     */
    public static Knobs resolve(String presetName, List<String> sets) {
        Map<String, String> pairs = parsePairs(sets);
        return resolve(pairs, presetName == null ? null : Preset.byName(presetName));
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
        EnumMap<Knob, String> v = new EnumMap<>(values);
        EnumMap<Knob, KnobSource> s = new EnumMap<>(sources);
        v.put(knob, knob.validate(String.valueOf(value), "with()"));
        s.put(knob, KnobSource.COMMAND_LINE);
        return new Knobs(v, s);
    }

    public String text(Knob knob) {
        return values.get(knob);
    }

    public long longValue(Knob knob) {
        requireType(knob, KnobType.INTEGER, KnobType.SIZE);
        return Long.parseLong(values.get(knob));
    }

    public int intValue(Knob knob) {
        return Math.toIntExact(longValue(knob));
    }

    public double decimal(Knob knob) {
        requireType(knob, KnobType.DECIMAL);
        return Double.parseDouble(values.get(knob));
    }

    public boolean flag(Knob knob) {
        requireType(knob, KnobType.FLAG);
        return Boolean.parseBoolean(values.get(knob));
    }

    /** A {@link KnobType#CHOICE} knob as the constant of {@code type} with the same name. */
    public <E extends Enum<E>> E choice(Knob knob, Class<E> type) {
        requireType(knob, KnobType.CHOICE);
        return Enum.valueOf(type, values.get(knob));
    }

    public KnobSource source(Knob knob) {
        return sources.get(knob);
    }

    /** Every knob's effective value by key, in table order: what a results file records. */
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
