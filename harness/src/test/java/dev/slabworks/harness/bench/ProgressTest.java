package dev.slabworks.harness.bench;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {
    /** A clock the test moves by hand. */
    private static final class Clock {
        long nanos;

        void seconds(double s) {
            nanos += (long) (s * 1e9);
        }
    }

    @Test
    void notATerminalGivesOnePlainLinePerStep() {
        StringWriter s = new StringWriter();
        Clock clock = new Clock();
        Progress p = new Progress(new PrintWriter(s), false, () -> clock.nanos);
        p.plan("w", 2, 0);
        p.step("w", "a rep 1/2");
        clock.seconds(3);
        p.step("w", "a rep 2/2");
        p.finish();
        assertThat(s.toString().lines()).containsExactly("[1/2] a rep 1/2", "[2/2] a rep 2/2, ~3s left");
    }

    @Test
    void aTerminalRedrawsOneLineAndClearsIt() {
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), true);
        p.plan("w", 2, 0);
        p.step("w", "first step");
        p.step("w", "second");
        p.finish();
        assertThat(s.toString()).startsWith("\r[1/2] first step").contains("\r[2/2] second").doesNotContain("\n").endsWith("\r");
    }

    @Test
    void stepsDroppedFromThePlanLeaveTheTotal() {
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), false, () -> 0);
        p.plan("w", 6, 0);
        p.step("w", "a 1");
        p.step("w", "b 1");
        p.drop("w", 2); // b's JVM failed: its two other turns will not run
        p.step("w", "a 2");
        p.step("w", "a 3");
        p.drop("w", 5); // never below the steps begun
        assertThat(s.toString().lines().map(l -> l.substring(0, l.indexOf(']') + 1)))
                .containsExactly("[1/6]", "[2/6]", "[3/4]", "[4/4]");
    }

    @Test
    void theTotalIsEveryPlannedStepFromTheFirstLine() {
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), false, () -> 0);
        p.plan("seed", 2, 200_000);
        p.plan("anchor", 3, 20_000_000);
        for (String step : List.of("seed", "seed", "anchor", "anchor", "anchor")) {
            p.step(step, step);
        }
        assertThat(s.toString().lines().map(l -> l.substring(0, l.indexOf(']') + 1)))
                .containsExactly("[1/5]", "[2/5]", "[3/5]", "[4/5]", "[5/5]");
    }

    /** Ten short steps (the first slow, as a JIT warm-up is), then a workload of 100 times the ops per step. */
    @Test
    void aLongWorkloadAheadIsEstimatedFromItsWeightNotFromTheShortStepsBehind() {
        Clock clock = new Clock();
        Progress p = new Progress(new PrintWriter(new StringWriter()), false, () -> clock.nanos);
        p.plan("seed", 10, 200_000);
        p.plan("anchor", 4, 20_000_000); // 100 times the ops of a seed step
        for (int i = 0; i < 10; i++) {
            p.step("seed", "seed " + i);
            clock.seconds(i == 0 ? 0.5 : 0.01);
        }
        p.step("anchor", "anchor 1");
        // 4 anchor steps at 100 x the typical 10 ms: ~4 s; the steps' mean time (59 ms) would say 4 x 59 ms
        assertThat(p.timeLeft()).isBetween(Duration.ofMillis(3900), Duration.ofMillis(4100));
        clock.seconds(2);
        p.step("anchor", "anchor 2");
        // from now on the anchor's own step time counts: 3 steps at 2 s
        assertThat(p.timeLeft()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void timeLeftIsInSecondsOrMinutesAndUnderASecondSaysSo() {
        assertThat(Progress.format(Duration.ofSeconds(42))).isEqualTo("~42s");
        assertThat(Progress.format(Duration.ofSeconds(125))).isEqualTo("~2m05s");
        assertThat(Progress.format(Duration.ofMillis(300))).isEqualTo("<1s");
    }
}
