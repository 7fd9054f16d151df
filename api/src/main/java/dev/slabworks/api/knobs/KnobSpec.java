package dev.slabworks.api.knobs;

import java.util.List;
import java.util.Locale;

/**
 * One row of the knob table with its parts named, so a row reads as what it says:
 * <pre>{@code
 * size("ss.size", "2MiB").range(64 << 10, 1L << 30).powerOfTwo().unit("bytes").meaning("...")
 * }</pre>
 * A row starts with its type, key and default; the environment name is {@code SLABWORKS_<KEY>} unless
 * {@link #environment} names another (the seed's {@code HAKMEM_*} name).
 */
final class KnobSpec {
    final String key;
    final KnobType type;
    final String defaultText;
    final List<String> choices;
    String unit = "";
    long min;
    long max;
    boolean powerOfTwo;
    String meaning = "";
    String environmentName;
    boolean perJvm;

    private KnobSpec(String key, KnobType type, String defaultText, List<String> choices) {
        this.key = key;
        this.type = type;
        this.defaultText = defaultText;
        this.choices = choices;
        this.environmentName = "SLABWORKS_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    static KnobSpec integer(String key, long defaultValue) {
        return new KnobSpec(key, KnobType.INTEGER, Long.toString(defaultValue), List.of());
    }

    /** A byte count; the default as written in the table ({@code "2MiB"}). */
    static KnobSpec size(String key, String defaultText) {
        return new KnobSpec(key, KnobType.SIZE, defaultText, List.of());
    }

    /** A decimal number; the default as written in the table. */
    static KnobSpec decimal(String key, String defaultText) {
        return new KnobSpec(key, KnobType.DECIMAL, defaultText, List.of());
    }

    static KnobSpec flag(String key, boolean defaultValue) {
        return new KnobSpec(key, KnobType.FLAG, Boolean.toString(defaultValue), List.of());
    }

    /** One of {@code choices}, which hold the default. */
    static KnobSpec choice(String key, String defaultText, String... choices) {
        return new KnobSpec(key, KnobType.CHOICE, defaultText, List.of(choices));
    }

    /** Accepted values of a number, both ends included. */
    KnobSpec range(long min, long max) {
        this.min = min;
        this.max = max;
        return this;
    }

    KnobSpec powerOfTwo() {
        this.powerOfTwo = true;
        return this;
    }

    KnobSpec unit(String unit) {
        this.unit = unit;
        return this;
    }

    KnobSpec meaning(String meaning) {
        this.meaning = meaning;
        return this;
    }

    /** The environment variable, when it is not {@code SLABWORKS_<KEY>}. */
    KnobSpec environment(String name) {
        this.environmentName = name;
        return this;
    }

    /** Read once per JVM, before any allocator exists, rather than per snapshot ({@link Knobs#perJvm}). */
    KnobSpec perJvm() {
        this.perJvm = true;
        return this;
    }
}
