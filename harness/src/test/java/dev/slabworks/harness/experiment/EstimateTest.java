package dev.slabworks.harness.experiment;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.wiring.Contenders;
import dev.slabworks.harness.workload.RandomMixed;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EstimateTest {
    /** 1,000 ops a run: a repetition of 10 ms (making and closing the allocator) and 40 us; 3 measured, 10 warm-ups. */
    private static final Estimate.Step SHORT = new Estimate.Step(new RandomMixed(1_000, 64, 1, 16, 1024), 3, 10);
    private static final double REPETITION = Estimate.NANOS_PER_REPETITION + 1_000 * Estimate.NANOS_PER_OP;

    private static Knobs warmUp(long minOps, long minMs) {
        return Contenders.create(Map.of(HarnessKnobs.WARMUP_MIN_OPS.key(), Long.toString(minOps),
                HarnessKnobs.WARMUP_MIN_MS.key(), Long.toString(minMs))).knobs();
    }

    private static long nanos(List<Knobs> rows, int forks) {
        return Estimate.of(rows, List.of(SHORT), forks).toNanos();
    }

    @Test
    void each_rows_warm_ups_last_that_rows_own_warmup_min_ms_in_whole_runs() {
        long at500 = nanos(List.of(warmUp(0, 500)), 0);
        assertThat(at500).as("4 repetitions, and 10 warm-ups of 50 runs: the first run to end past 500 ms")
                .isCloseTo((long) (4 * REPETITION + 10 * 50 * REPETITION), within(2L));
        long at0 = nanos(List.of(warmUp(0, 0)), 0);
        assertThat(at0).as("no floor: a warm-up is one run").isCloseTo((long) (14 * REPETITION), within(2L));
        assertThat(nanos(List.of(warmUp(0, 0), warmUp(0, 500)), 0)).as("a sweep of the floor: each row its own")
                .isCloseTo(at0 + at500, within(2L));
    }

    @Test
    void each_rows_warm_ups_make_that_rows_own_warmup_min_ops() {
        assertThat(nanos(List.of(warmUp(5_500, 0)), 0)).as("6 runs of 1,000 ops make 5,500")
                .isCloseTo((long) (4 * REPETITION + 10 * 6 * REPETITION), within(2L));
        assertThat(nanos(List.of(warmUp(5_500, 100)), 0)).as("10 runs to pass 100 ms, which make 10,000 ops")
                .isCloseTo((long) (4 * REPETITION + 10 * 10 * REPETITION), within(2L));
    }

    @Test
    void forks_add_a_jvm_start_and_repeat_every_step_per_row() {
        long one = nanos(List.of(warmUp(0, 100)), 0);
        assertThat(nanos(List.of(warmUp(0, 100)), 3)).isCloseTo(3 * (one + (long) Estimate.NANOS_PER_JVM), within(4L));
    }
}
