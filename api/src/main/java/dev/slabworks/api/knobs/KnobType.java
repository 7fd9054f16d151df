package dev.slabworks.api.knobs;

import java.util.Locale;

/** How a knob's text is read and checked. */
public enum KnobType {
    /** A whole number. */
    INTEGER,
    /** A byte count; accepts suffixes {@code K}, {@code M}, {@code G} (binary, optional {@code iB}). */
    SIZE,
    /** A decimal number. */
    DECIMAL,
    /** {@code true}/{@code false}, also {@code 1}/{@code 0}, {@code on}/{@code off}, {@code yes}/{@code no}. */
    FLAG,
    /** One of a fixed set of words (case-insensitive). */
    CHOICE;

    /** The canonical text of {@code raw}, or null when it is not of this type. */
    String canonical(String raw) {
        String text = raw.trim();
        return switch (this) {
            case INTEGER -> parseLongOrNull(text) == null ? null : Long.toString(parseLongOrNull(text));
            case SIZE -> {
                Long bytes = parseSize(text);
                yield bytes == null ? null : Long.toString(bytes);
            }
            case DECIMAL -> {
                try {
                    yield Double.toString(Double.parseDouble(text));
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
            case FLAG -> switch (text.toLowerCase(Locale.ROOT)) {
                case "1", "true", "on", "yes" -> "true";
                case "0", "false", "off", "no" -> "false";
                default -> null;
            };
            case CHOICE -> text.toUpperCase(Locale.ROOT);
        };
    }

    static Long parseSize(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        int shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                default -> shift = -1;
            }
            if (shift > 0) {
                t = t.substring(0, t.length() - 1);
            } else {
                shift = 0;
            }
        }
        Long base = parseLongOrNull(t);
        if (base == null || base < 0 || Long.numberOfLeadingZeros(base) <= shift) {
            return null;
        }
        return base << shift;
    }

    private static Long parseLongOrNull(String text) {
        try {
            return Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
