package dev.slabworks.harness.experiment;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.KnobRegistry;
import dev.slabworks.api.knobs.KnobType;
import dev.slabworks.api.knobs.Knobs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values one knob takes in a sweep, from the text a user writes: a list {@code V1,V2,...} or, for a knob
 * holding a whole number or a size, a range {@code FROM..TO} (step 1), {@code FROM..TO:+STEP} (adding STEP) or
 * {@code FROM..TO:xFACTOR} (multiplying by FACTOR; from 0 the next value is 1, so {@code 0..64:x2} is 0, 1, 2,
 * 4, ..., 64). Ends and steps of a size knob take the knob's suffixes ({@code 64K..1M:x2}). Every value is
 * checked against the knob table and kept in the table's canonical text; duplicates are dropped.
 */
public final class SweepValues {
    /** A sweep of more values than this is surely a typo in a range ({@code 0..1000000}). */
    static final int MAX_VALUES = 1000;
    private static final Pattern RANGE = Pattern.compile("(.+?)\\.\\.(.+?)(?::([x+])(.+))?");

    private SweepValues() {
    }

    /** Whether {@code text} names several values (a list or a range) rather than one. */
    public static boolean isSweep(String text) {
        return text.contains(",") || text.contains("..");
    }

    /** The values of {@code key} that {@code text} names, canonical, in order. */
    public static List<String> parse(KnobRegistry registry, String key, String text) {
        Knob knob = registry.byName(key);
        List<String> out = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String t = item.strip();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("sweep of " + knob.key() + " has an empty value in '" + text + "'");
            }
            Matcher m = RANGE.matcher(t);
            if (m.matches()) {
                out.addAll(range(registry, knob, t, m));
            } else {
                out.add(canonical(registry, knob, t));
            }
        }
        List<String> distinct = List.copyOf(new LinkedHashSet<>(out));
        if (distinct.size() > MAX_VALUES) {
            throw new IllegalArgumentException("sweep of " + knob.key() + " '" + text + "' names " + distinct.size()
                    + " values; at most " + MAX_VALUES);
        }
        return distinct;
    }

    /** The canonical text of one value of {@code knob}, or the knob table's error saying what it accepts. */
    static String canonical(KnobRegistry registry, Knob knob, String value) {
        return Knobs.resolve(registry, Map.of(knob.key(), value), k -> null, k -> null).text(knob);
    }

    private static List<String> range(KnobRegistry registry, Knob knob, String text, Matcher m) {
        if (knob.type() != KnobType.INTEGER && knob.type() != KnobType.SIZE) {
            throw new IllegalArgumentException("range '" + text + "' needs a knob of whole numbers or sizes; "
                    + knob.key() + " is " + knob.type().name().toLowerCase(java.util.Locale.ROOT)
                    + ": list its values instead (V1,V2,...)");
        }
        long from = Long.parseLong(canonical(registry, knob, m.group(1)));
        long to = Long.parseLong(canonical(registry, knob, m.group(2)));
        if (to < from) {
            throw new IllegalArgumentException("range '" + text + "' of " + knob.key() + " ends below its start");
        }
        boolean multiply = "x".equals(m.group(3));
        long step = m.group(3) == null ? 1 : multiply ? number(text, m.group(4)) : size(text, m.group(4));
        if (step < (multiply ? 2 : 1)) {
            throw new IllegalArgumentException("range '" + text + "' needs a step of at least " + (multiply ? "x2" : "+1"));
        }
        List<String> out = new ArrayList<>();
        for (long v = from; v <= to; ) {
            out.add(canonical(registry, knob, Long.toString(v)));
            if (out.size() > MAX_VALUES) {
                throw new IllegalArgumentException("range '" + text + "' of " + knob.key() + " names more than "
                        + MAX_VALUES + " values");
            }
            long next = multiply ? (v == 0 ? 1 : v * step) : v + step;
            if (next <= v) { // overflow
                break;
            }
            v = next;
        }
        return out;
    }

    private static long number(String text, String step) {
        try {
            return Long.parseLong(step.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("range '" + text + "' has a step that is not a whole number: '" + step + "'");
        }
    }

    /** A step of a size knob may carry a suffix: {@code +64K}. */
    private static long size(String text, String step) {
        String t = step.strip().toUpperCase(java.util.Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            unit = t.endsWith("K") ? 1L << 10 : t.endsWith("M") ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        return number(text, t) * unit;
    }
}
