package dev.slabworks.api.knobs;

import java.util.List;
import java.util.Locale;

/**
 * One row of a knob table being written, with its parts named, so a row reads as what it says:
 * <pre>{@code
 * TABLE.size("ss.size", "2MiB").range(64 << 10, 1L << 30).powerOfTwo().unit("bytes").meaning("...")
 * }</pre>
 * A row starts with its type, key and default (from a {@link KnobTable}) and ends with its meaning, which
 * every knob must have and which declares it. The environment name is {@code SLABWORKS_<KEY>} unless
 * {@link #environment} names another (the seed's {@code HAKMEM_*} name).
 */
public final class KnobSpec {
    final KnobTable table;
    final String key;
    final KnobType type;
    final String defaultText;
    final List<String> choices;
    String unit = "";
    long min;
    long max;
    boolean powerOfTwo;
    String environmentName;
    boolean perJvm;

    KnobSpec(KnobTable table, String key, KnobType type, String defaultText, List<String> choices) {
        if (!key.matches("[a-z][a-z0-9]*(\\.[a-z0-9]+)*")) {
            throw new IllegalArgumentException("a knob key is lower-case words joined by dots, not '" + key + "'");
        }
        this.table = table;
        this.key = key;
        this.type = type;
        this.defaultText = defaultText;
        this.choices = choices;
        this.environmentName = "SLABWORKS_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
        // without range(), a number may be anything its type holds (a size: anything not negative)
        this.min = type == KnobType.SIZE ? 0 : Long.MIN_VALUE;
        this.max = Long.MAX_VALUE;
    }

    /** Accepted values of a number, both ends included. */
    public KnobSpec range(long min, long max) {
        this.min = min;
        this.max = max;
        return this;
    }

    public KnobSpec powerOfTwo() {
        this.powerOfTwo = true;
        return this;
    }

    public KnobSpec unit(String unit) {
        this.unit = unit;
        return this;
    }

    /** The environment variable, when it is not {@code SLABWORKS_<KEY>}. */
    public KnobSpec environment(String name) {
        this.environmentName = name;
        return this;
    }

    /** Read once per JVM, before any allocator exists, rather than per snapshot ({@link Knobs#perJvm}). */
    public KnobSpec perJvm() {
        this.perJvm = true;
        return this;
    }

    /** What the knob does, in a sentence or two: the last part of a row, which declares the knob. */
    public Knob meaning(String meaning) {
        Knob knob = new Knob(this, meaning);
        table.add(knob);
        return knob;
    }
}
