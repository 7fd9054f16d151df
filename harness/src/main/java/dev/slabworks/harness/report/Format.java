package dev.slabworks.harness.report;

import dev.slabworks.api.stats.Bytes;

import java.util.Locale;

/** Number formats shared by the text reports. */
final class Format {
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

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    static String signedPercent(double fraction) {
        return String.format(Locale.ROOT, "%+.1f%%", fraction * 100);
    }

    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** 1.14 MiB; "n/a" for a figure that does not exist (negative). */
    static String bytes(long v) {
        return v < 0 ? "n/a" : Bytes.format(v);
    }

    /** Resident over live: 1.37; "n/a" when unknown (NaN). */
    static String overhead(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
