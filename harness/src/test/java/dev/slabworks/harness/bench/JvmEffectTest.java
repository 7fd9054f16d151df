package dev.slabworks.harness.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JvmEffectTest {
    private static double[] jvms(double[]... each) {
        return java.util.Arrays.stream(each).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    @Test
    void jvmsWithTheSameRepetitionsShowNoEffect() {
        double[] same = {10, 11, 12, 13, 14};
        JvmEffect e = JvmEffect.of(jvms(same, same, same), 3);
        assertThat(e.spread()).isZero();
        assertThat(e.p()).as("every regrouping spreads at least 0").isEqualTo(1.0);
    }

    @Test
    void oneSlowJvmOfTightRepetitionsIsAnEffect() {
        JvmEffect e = JvmEffect.of(jvms(new double[] {20.0, 20.1, 20.2, 20.3, 20.4},
                new double[] {20.1, 20.2, 20.3, 20.4, 20.5}, new double[] {16.0, 16.1, 16.2, 16.3, 16.4}), 3);
        assertThat(e.spread()).isGreaterThan(0.15);
        assertThat(e.p()).isLessThan(0.01);
    }

    @Test
    void aWideSpreadOfScatteredRepetitionsIsNoEffect() { // where the spread of three medians of five cannot tell
        // medians 12, 10 and 11 (a spread of 18 %) from repetitions that scatter from 5 to 15 in every JVM
        JvmEffect e = JvmEffect.of(jvms(new double[] {5, 6, 12, 13, 14}, new double[] {5, 6, 10, 13, 14},
                new double[] {5, 7, 11, 13, 14}), 3);
        assertThat(e.spread()).isGreaterThan(0.10);
        assertThat(e.p()).isGreaterThan(0.3);
    }

    @Test
    void theSpreadIsTheOneTheTablePrintsAndThePIsTheSameEveryTime() {
        List<RunResult> forks = List.of(run(21, 24, 22, 25, 23), run(19, 20, 18, 21, 22), run(24, 26, 25, 23, 27));
        RunResult pooled = RunResult.pooled(forks);
        JvmEffect e = pooled.jvmEffect();
        assertThat(e.spread()).isEqualTo(pooled.forkSpread());
        assertThat(JvmEffect.of(pooled.opsPerSec(), 3)).isEqualTo(e);
    }

    @Test
    void noTestWithoutTwoJvmsOfEqualRepetitionsOfTwoOrMore() {
        assertThat(JvmEffect.of(new double[] {1, 2, 3}, 1).p()).isNaN();
        assertThat(JvmEffect.of(new double[] {1, 2, 3, 4, 5}, 2).p()).as("unequal").isNaN();
        assertThat(JvmEffect.of(new double[] {1, 2, 3}, 3).p()).as("single repetitions").isNaN();
        assertThat(run(1, 2, 3).jvmEffect().p()).as("no --forks").isNaN();
    }

    private static RunResult run(double... opsPerSec) {
        return new RunResult("superslab", "strategy", "random-mixed", List.of("1"), Map.of(), 0, opsPerSec, 1, 1.0,
                Map.of(), 0, 0, Map.of(), null);
    }
}
