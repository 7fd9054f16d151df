package dev.slabworks.api.knobs;

import java.util.ArrayList;
import java.util.List;

/**
 * The knobs one module declares, in the order it declares them. A module keeps one table in a static field
 * and declares each knob as a constant through it:
 * <pre>{@code
 * private static final KnobTable TABLE = new KnobTable();
 * public static final Knob SLAB_SIZE = TABLE.size("slab.size", "64KiB").unit("bytes").meaning("...");
 * public static List<Knob> all() { return TABLE.knobs(); }
 * }</pre>
 * api's table is {@link Knob#all()}; a strategy lists its own from {@code AllocatorFactory.knobs()}.
 */
public final class KnobTable {
    private final List<Knob> knobs = new ArrayList<>();

    public KnobSpec integer(String key, long defaultValue) {
        return new KnobSpec(this, key, KnobType.INTEGER, Long.toString(defaultValue), List.of());
    }

    /** A byte count; the default as written in the table ({@code "2MiB"}). */
    public KnobSpec size(String key, String defaultText) {
        return new KnobSpec(this, key, KnobType.SIZE, defaultText, List.of());
    }

    /** A decimal number; the default as written in the table. */
    public KnobSpec decimal(String key, String defaultText) {
        return new KnobSpec(this, key, KnobType.DECIMAL, defaultText, List.of());
    }

    public KnobSpec flag(String key, boolean defaultValue) {
        return new KnobSpec(this, key, KnobType.FLAG, Boolean.toString(defaultValue), List.of());
    }

    /** One of {@code choices}, which hold the default. */
    public KnobSpec choice(String key, String defaultText, String... choices) {
        return new KnobSpec(this, key, KnobType.CHOICE, defaultText, List.of(choices));
    }

    synchronized void add(Knob knob) {
        for (Knob k : knobs) {
            if (k.key().equals(knob.key())) {
                throw new KnobException("knob " + knob.key() + " is declared twice in one table");
            }
        }
        knobs.add(knob);
    }

    /** Every knob declared so far, in declaration order. */
    public synchronized List<Knob> knobs() {
        return List.copyOf(knobs);
    }
}
