package dev.slabworks.harness.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JvmEffectTest {
    /** The pooled result of one JVM per array, as {@code bench --forks} makes it. */
    private static RunResult jvms(double[]... each) {
        return RunResult.pooled(Arrays.stream(each).map(JvmEffectTest::run).toList());
    }

    @Test
    void jvmsWithTheSameRepetitionsShowNoEffect() {
        double[] same = {10, 11, 12, 13, 14};
        RunResult r = jvms(same, same, same);
        assertThat(r.forkSpread()).isZero();
        assertThat(r.forkSpreadP()).as("every regrouping sets the ranks at least as far apart").isEqualTo(1.0);
    }

    @Test
    void oneSlowJvmOfTightRepetitionsIsAnEffect() {
        RunResult r = jvms(new double[] {20.0, 20.1, 20.2, 20.3, 20.4},
                new double[] {20.1, 20.2, 20.3, 20.4, 20.5}, new double[] {16.0, 16.1, 16.2, 16.3, 16.4});
        assertThat(r.forkSpread()).isGreaterThan(0.15);
        assertThat(r.forkSpreadP()).isLessThan(0.01);
    }

    @Test
    void aWideSpreadOfScatteredRepetitionsIsNoEffect() { // where the spread of three medians of five cannot tell
        // medians 12, 10 and 11 (a spread of 18 %) from repetitions that scatter from 5 to 15 in every JVM
        RunResult r = jvms(new double[] {5, 6, 12, 13, 14}, new double[] {5, 6, 10, 13, 14},
                new double[] {5, 7, 11, 13, 14});
        assertThat(r.forkSpread()).isGreaterThan(0.10);
        assertThat(r.forkSpreadP()).isGreaterThan(0.3);
    }

    @Test
    void thePIsTheSameEveryTime() {
        RunResult pooled = jvms(new double[] {21, 24, 22, 25, 23}, new double[] {19, 20, 18, 21, 22},
                new double[] {24, 26, 25, 23, 27});
        assertThat(JvmEffect.p(pooled.opsPerSec(), 3)).isEqualTo(pooled.forkSpreadP());
    }

    @Test
    void noTestWithoutTwoJvmsOfEqualRepetitionsOfTwoOrMore() {
        assertThat(JvmEffect.p(new double[] {1, 2, 3}, 1)).isNaN();
        assertThat(JvmEffect.p(new double[] {1, 2, 3, 4, 5}, 2)).as("unequal").isNaN();
        assertThat(JvmEffect.p(new double[] {1, 2, 3}, 3)).as("single repetitions").isNaN();
        assertThat(run(1, 2, 3).forkSpreadP()).as("no --forks").isNaN();
        assertThat(run(1, 2, 3).hasForkSpreadP()).isFalse();
        assertThat(jvms(new double[] {1, 2}, new double[] {3, 4}).hasForkSpreadP()).isTrue();
    }

    private static RunResult run(double... opsPerSec) {
        return new RunResult("superslab", "strategy", "random-mixed", List.of("1"), Map.of(), 0, opsPerSec, 1, 1.0,
                Map.of(), 0, 0, Map.of(), null);
    }
}
