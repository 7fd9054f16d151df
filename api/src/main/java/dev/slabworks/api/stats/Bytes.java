package dev.slabworks.api.stats;

import java.util.Locale;

/** Byte counts for people: binary units, three significant digits ({@code 812 B}, {@code 1.14 MiB}, {@code 44.0 MiB}). */
public final class Bytes {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Bytes() {
    }

    /** {@code bytes} in the largest binary unit that leaves at least 1 of it: {@code 4.00 KiB}, {@code 123 MiB}. */
    public static String format(long bytes) {
        if (Math.abs(bytes) < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = -1;
        while (Math.abs(v) >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        double a = Math.abs(v);
        String digits = a >= 99.95 ? "%.0f" : a >= 9.995 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, digits + " %s", v, UNITS[unit]);
    }
}
