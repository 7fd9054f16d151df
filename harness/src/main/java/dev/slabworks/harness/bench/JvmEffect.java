package dev.slabworks.harness.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Whether a contender's JVMs ({@code --forks}) differ by more than the scatter of their repetitions: a permutation
 * test. Under the hypothesis that the JVM a repetition ran in does not matter, every regrouping of the pooled
 * repetitions into JVMs of the same sizes is as likely as the one observed. The statistic is Kruskal-Wallis's, the
 * spread of the JVMs' mean ranks among all repetitions: ranks assume nothing of the repetitions' distribution
 * (skewed: a slow outlier now and then), and unlike the spread of medians they can tell three JVMs of five
 * repetitions apart at all (a median of five moves with any three of its values, so random regroupings spread
 * three medians widely, and no observed spread of them is rare). {@code p} is the share of {@link #SHUFFLES}
 * random regroupings whose statistic is at least the observed one, the observed grouping counted, so never 0.
 * A small {@code p} says the JVMs themselves differ (one slow process, or the host slower while one ran: the
 * contenders take turns, so a JVM is also a stretch of time; DESIGN §19); a large one says their spread is what
 * the repetitions' scatter gives, which more {@code --reps} narrows and more JVMs do not. The shuffles use a fixed
 * seed, so a results file always gives the same {@code p}. The JVM medians' spread itself is
 * {@link RunResult#forkSpread}.
 */
public final class JvmEffect {
    /** Random regroupings drawn: enough for a p near 0.05 to be known within about 0.01. */
    public static final int SHUFFLES = 2_000;
    private static final long SEED = 0x5eed_5eedL;

    private JvmEffect() {
    }

    /**
     * Whether {@code repetitions} in all can be tested among {@code jvms}: two JVMs or more, each with the same number
     * of repetitions ({@code bench} gives every JVM the same {@code --reps}), two or more.
     */
    public static boolean applies(int repetitions, int jvms) {
        return jvms >= 2 && repetitions % jvms == 0 && repetitions / jvms >= 2;
    }

    /**
     * The permutation p-value for repetitions {@code pooled}, the JVMs' in turn, {@code pooled.length / jvms} each;
     * NaN when the test does not {@link #applies apply}.
     */
    public static double p(double[] pooled, int jvms) {
        if (!applies(pooled.length, jvms)) {
            return Double.NaN;
        }
        int per = pooled.length / jvms;
        double[] ranks = ranks(pooled);
        double observed = sumOfSquaredRankSums(ranks, jvms, per);
        SplittableRandom random = new SplittableRandom(SEED);
        int atLeast = 0;
        for (int s = 0; s < SHUFFLES; s++) {
            for (int i = ranks.length - 1; i > 0; i--) { // Fisher-Yates
                int j = random.nextInt(i + 1);
                double t = ranks[i];
                ranks[i] = ranks[j];
                ranks[j] = t;
            }
            if (sumOfSquaredRankSums(ranks, jvms, per) >= observed * (1 - 1e-12)) {
                atLeast++;
            }
        }
        return (atLeast + 1.0) / (SHUFFLES + 1.0);
    }

    /**
     * The sum over groups of each group's rank sum squared: with groups of equal size and the ranks fixed, the
     * Kruskal-Wallis statistic is an increasing function of it.
     */
    private static double sumOfSquaredRankSums(double[] ranks, int groups, int per) {
        double total = 0;
        for (int g = 0; g < groups; g++) {
            double sum = 0;
            for (int i = g * per; i < (g + 1) * per; i++) {
                sum += ranks[i];
            }
            total += sum * sum;
        }
        return total;
    }

    /** The rank of each value among all (1 = smallest), ties sharing their mean rank. */
    private static double[] ranks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }
}
