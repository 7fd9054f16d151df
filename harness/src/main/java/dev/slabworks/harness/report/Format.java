package dev.slabworks.harness.report;

import dev.slabworks.api.MemoryUse;
import dev.slabworks.api.stats.Bytes;

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

    /** "±1.2%": half the median's confidence interval over the median; "±1.2%*" when it is less sure than 95 %. */
    static String interval(dev.slabworks.harness.bench.MedianInterval i) {
        if (i.n() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "±%.1f%%", i.relativeHalfWidth() * 100)
                + (i.confidence() < dev.slabworks.harness.bench.MedianInterval.LEVEL ? "*" : "");
    }

    /** "1 repetition", "5 repetitions": {@code n} and the noun, plural unless n is 1. */
    public static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
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

    /** A resident figure and the overhead, marked "≥ ", "≤ " or "≈ " when the allocator gives a bound or an estimate. */
    static String resident(long v, MemoryUse.Bound bound) {
        return v < 0 ? "n/a" : mark(bound) + bytes(v);
    }

    static String overhead(double v, MemoryUse.Bound bound) {
        return Double.isNaN(v) ? "n/a" : mark(bound) + overhead(v);
    }

    private static String mark(MemoryUse.Bound bound) {
        return switch (bound) {
            case EXACT -> "";
            case AT_LEAST -> "≥ ";
            case AT_MOST -> "≤ ";
            case ESTIMATE -> "≈ ";
        };
    }
}
