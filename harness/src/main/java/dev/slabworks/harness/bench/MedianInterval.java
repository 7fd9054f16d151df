package dev.slabworks.harness.bench;

import org.apache.commons.statistics.distribution.BinomialDistribution;

import java.util.Arrays;

/**
 * A median with its confidence interval, distribution-free: the interval between two order statistics of the
 * sample, {@code [x(j), x(n+1-j)]}, which holds the true median with probability {@code 1 - 2 P(B <= j-1)} for
 * {@code B ~ Binomial(n, 1/2)} whatever the distribution of the repetitions (the sign-test interval; the
 * binomial comes from Apache Commons Statistics). {@code j} is the largest index whose interval still reaches
 * {@link #LEVEL}. Repetition times are skewed (a slow outlier now and then, never a fast one), so neither a mean
 * nor a normal-theory interval fits them; the median and this interval do.
 *
 * <p>Below 6 values no pair of order statistics reaches 95 % (min..max of 5 holds the median with 93.75 %);
 * then the interval is min..max and {@link #confidence} says how sure it is (0 for a single value).
 *
 * @param confidence the probability the interval holds the median: {@link #LEVEL} or more, less with few values
 */
public record MedianInterval(double median, double low, double high, double confidence, int n) {
    /** The confidence asked for. */
    public static final double LEVEL = 0.95;

    /** The interval of {@code values}; all zeros for none. */
    public static MedianInterval of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new MedianInterval(0, 0, 0, 0, 0);
        }
        double[] x = values.clone();
        Arrays.sort(x);
        double median = n % 2 == 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
        BinomialDistribution b = BinomialDistribution.of(n, 0.5);
        int j = 1; // 1-based order statistic of the lower end
        while (j + 1 <= (n + 1) / 2 && 1 - 2 * b.cumulativeProbability(j) >= LEVEL) {
            j++;
        }
        double confidence = 1 - 2 * b.cumulativeProbability(j - 1);
        return new MedianInterval(median, x[j - 1], x[n - j], confidence, n);
    }

    /** Half the interval's width over the median: the "+-" of a relative figure; 0 for a median of 0. */
    public double relativeHalfWidth() {
        return median == 0 ? 0 : (high - low) / 2 / median;
    }

    /** Whether this interval and {@code other} share a value. */
    public boolean overlaps(MedianInterval other) {
        return low <= other.high && other.low <= high;
    }
}
