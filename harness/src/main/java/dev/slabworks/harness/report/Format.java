package dev.slabworks.harness.report;

import java.util.Locale;

/** Number formats shared by the text reports. */
public final class Format {
    private Format() {
    }

    /** 53.31M, 812.4K, 950 */
    static String ops(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.2fG", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fK", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** 25, 7.5: a number without a trailing ".0". */
    static String decimal(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.valueOf(v);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    static String signedPercent(double fraction) {
        return String.format(Locale.ROOT, "%+.1f%%", fraction * 100);
    }

    /** "1 repetition", "5 repetitions": {@code n} and the noun, plural unless n is 1. */
    public static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
