package dev.slabworks.harness.experiment;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.wiring.Contenders;
import dev.slabworks.harness.workload.RandomMixed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EstimateTest {
    /** 1,000 ops: a repetition of 10 ms (allocator and sampling) and 40 us, far below any warm-up floor here. */
    private static final Estimate.Step SHORT = new Estimate.Step(new RandomMixed(1_000, 64, 1, 16, 1024), 3, 10);

    private static Knobs floor(long ms) {
        return Contenders.create(Map.of(HarnessKnobs.WARMUP_MIN_MS.key(), Long.toString(ms))).knobs();
    }

    @Test
    void each_rows_warm_ups_last_at_least_that_rows_own_warmup_min_ms() {
        double repetition = Estimate.NANOS_PER_REPETITION + 1_000 * Estimate.NANOS_PER_OP;
        long at500 = Estimate.of(List.of(floor(500)), List.of(SHORT), 0).toNanos();
        assertThat(at500).as("4 repetitions and 10 warm-ups of 500 ms")
                .isEqualTo((long) (4 * repetition + 10 * 500e6));
        long at0 = Estimate.of(List.of(floor(0)), List.of(SHORT), 0).toNanos();
        assertThat(at0).as("no floor: a warm-up is one repetition").isEqualTo((long) (14 * repetition));
        assertThat(Estimate.of(List.of(floor(0), floor(500)), List.of(SHORT), 0).toNanos())
                .as("a sweep of the floor: each row its own").isEqualTo(at0 + at500);
    }

    @Test
    void forks_add_a_jvm_start_and_repeat_every_step_per_row() {
        Duration one = Estimate.of(List.of(floor(100)), List.of(SHORT), 0);
        Duration three = Estimate.of(List.of(floor(100)), List.of(SHORT), 3);
        assertThat(three.toNanos()).isEqualTo(3 * (one.toNanos() + (long) Estimate.NANOS_PER_JVM));
    }
}
