package dev.slabworks.harness.workload;

import java.util.Arrays;

/**
 * The sizes of {@code dist-mixed}: up to three buckets, each a weight and a uniform range
 * {@code [lo, hi]}. A size is drawn from one 64-bit random value {@code r}: its high 32 bits pick the
 * bucket by weight, its low 32 bits the size in the bucket, both by multiply-and-shift (no division):
 * <pre>
 *   u = ((r &gt;&gt;&gt; 32) * totalWeight) &gt;&gt;&gt; 32          0 &lt;= u &lt; totalWeight
 *   b = the first bucket with u &lt; limit[b]                limit = running sum of the weights
 *   size = lo[b] + (((r &amp; 0xFFFFFFFF) * (hi[b] - lo[b] + 1)) &gt;&gt;&gt; 32)
 * </pre>
 * Spelled on the command line as {@code uniform:MIN:MAX}, {@code app} (80 % 16-256, 15 % 257-2048,
 * 5 % 2049-32768: the allocator team's application-like mix) or
 * {@code trimix:LO1:HI1:W1:LO2:HI2:W2:LO3:HI3:W3}.
 */
public record SizeDistribution(String text, long[] lo, long[] span, long[] limit) {
    public static final String FORMS = "uniform:MIN:MAX, app or trimix:LO1:HI1:W1:LO2:HI2:W2:LO3:HI3:W3";
    static final String APP = "trimix:16:256:80:257:2048:15:2049:32768:5";

    /** The distribution {@code text} names; an error naming what is accepted otherwise. */
    public static SizeDistribution parse(String text) {
        String[] parts = (text.equals("app") ? APP : text).split(":", -1);
        long[] numbers = new long[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
            try {
                numbers[i - 1] = Long.parseLong(parts[i].replace("_", ""));
            } catch (NumberFormatException e) {
                throw bad(text, "'" + parts[i] + "' is not a whole number");
            }
        }
        return switch (parts[0]) {
            case "uniform" -> {
                if (numbers.length != 2) {
                    throw bad(text, "uniform takes MIN:MAX");
                }
                yield of(text, new long[] {numbers[0]}, new long[] {numbers[1]}, new long[] {1});
            }
            case "trimix" -> {
                if (numbers.length != 9) {
                    throw bad(text, "trimix takes LO1:HI1:W1:LO2:HI2:W2:LO3:HI3:W3");
                }
                yield of(text, new long[] {numbers[0], numbers[3], numbers[6]},
                        new long[] {numbers[1], numbers[4], numbers[7]}, new long[] {numbers[2], numbers[5], numbers[8]});
            }
            default -> throw bad(text, "accepted: " + FORMS);
        };
    }

    private static SizeDistribution of(String text, long[] lo, long[] hi, long[] weight) {
        long[] span = new long[lo.length];
        long[] limit = new long[lo.length];
        long total = 0;
        for (int b = 0; b < lo.length; b++) {
            if (lo[b] < 0 || hi[b] < lo[b] || hi[b] > Arguments.MAX_SIZE) {
                throw bad(text, "a range needs 0 <= LO <= HI <= " + Arguments.MAX_SIZE + ", not " + lo[b] + ".." + hi[b]);
            }
            if (weight[b] < 0) {
                throw bad(text, "a weight must be >= 0, not " + weight[b]);
            }
            span[b] = hi[b] - lo[b] + 1;
            total += weight[b];
            limit[b] = total;
        }
        if (total < 1 || total > Integer.MAX_VALUE) {
            throw bad(text, "the weights must add up to 1.." + Integer.MAX_VALUE + ", not " + total);
        }
        return new SizeDistribution(text, lo, span, limit);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("dist-mixed: DIST '" + text + "': " + why);
    }

    /** The largest size it can draw. */
    public long maxSize() {
        long max = 0;
        for (int b = 0; b < lo.length; b++) {
            if (weight(b) > 0) {
                max = Math.max(max, lo[b] + span[b] - 1);
            }
        }
        return max;
    }

    /** Bucket {@code b}'s weight. */
    public long weight(int b) {
        return limit[b] - (b == 0 ? 0 : limit[b - 1]);
    }

    /** The size {@code r} draws (see the class comment). */
    public long size(long r) {
        return draw(lo, span, limit, r);
    }

    /** {@link #size} on the arrays themselves, which {@code dist-mixed}'s loop keeps in locals. */
    static long draw(long[] lo, long[] span, long[] limit, long r) {
        long u = ((r >>> 32) * limit[limit.length - 1]) >>> 32;
        int b = 0;
        while (u >= limit[b]) {
            b++;
        }
        return lo[b] + (((r & 0xFFFFFFFFL) * span[b]) >>> 32);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SizeDistribution d && Arrays.equals(lo, d.lo) && Arrays.equals(span, d.span)
                && Arrays.equals(limit, d.limit);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lo) * 31 + Arrays.hashCode(limit);
    }

    @Override
    public String toString() {
        return text;
    }
}
