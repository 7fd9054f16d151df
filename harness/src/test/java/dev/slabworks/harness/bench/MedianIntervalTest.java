package dev.slabworks.harness.bench;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MedianIntervalTest {
    @Test
    void twentyValuesGiveTheSixthToFifteenthOrderStatistic() {
        double[] values = IntStream.rangeClosed(1, 20).map(i -> 21 - i).asDoubleStream().toArray(); // unsorted
        MedianInterval i = MedianInterval.of(values);
        assertThat(i.median()).isEqualTo(10.5);
        assertThat(i.low()).isEqualTo(6);
        assertThat(i.high()).isEqualTo(15);
        // 1 - 2 P(B <= 5), B ~ Binomial(20, 1/2): 1 - 2 * 21700 / 2^20
        assertThat(i.confidence()).isCloseTo(1 - 2 * 21700.0 / (1 << 20), within(1e-12));
        assertThat(i.relativeHalfWidth()).isCloseTo(4.5 / 10.5, within(1e-12));
    }

    @Test
    void sixValuesAreTheFewestWhoseMinToMaxReaches95Percent() {
        MedianInterval six = MedianInterval.of(new double[] {5, 1, 4, 2, 6, 3});
        assertThat(six.low()).isEqualTo(1);
        assertThat(six.high()).isEqualTo(6);
        assertThat(six.confidence()).isCloseTo(1 - 2.0 / 64, within(1e-12)).isGreaterThanOrEqualTo(MedianInterval.LEVEL);
        MedianInterval five = MedianInterval.of(new double[] {1, 2, 3, 4, 5});
        assertThat(five.median()).isEqualTo(3);
        assertThat(five.confidence()).isCloseTo(0.9375, within(1e-12)).isLessThan(MedianInterval.LEVEL);
    }

    @Test
    void oneValueIsAPointWithNoConfidenceAndNoneIsZero() {
        MedianInterval one = MedianInterval.of(new double[] {7});
        assertThat(one.low()).isEqualTo(7);
        assertThat(one.high()).isEqualTo(7);
        assertThat(one.confidence()).isZero();
        assertThat(MedianInterval.of(new double[0]).n()).isZero();
    }

    @Test
    void intervalsOverlapWhenTheyShareAValue() {
        MedianInterval a = new MedianInterval(10, 9, 11, 0.95, 6);
        assertThat(a.overlaps(new MedianInterval(12, 11, 13, 0.95, 6))).isTrue();
        assertThat(a.overlaps(new MedianInterval(12, 11.5, 13, 0.95, 6))).isFalse();
    }
}
