package dev.slabworks.sharedpool;

import dev.slabworks.testkit.campaign.StressRunner;
import dev.slabworks.testkit.campaign.StressRunner.Report;
import dev.slabworks.testkit.campaign.StressRunner.Settings;
import dev.slabworks.api.knobs.Knobs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The api's multi-thread stress on the default knobs, a few runs per thread count (the harness runs it
 * once per strategy): once every worker has ended and every block is freed, {@code trim()} from the main
 * thread must bring the mapped bytes back under the LRU floor, which needs the workers' heaps reclaimed.
 */
class SharedPoolStressTest {
    private static final int RUNS = 3;

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 8})
    void nothing_is_lost_and_trim_after_the_workers_end_brings_mapped_bytes_under_the_floor(int threads) {
        for (int run = 0; run < RUNS; run++) {
            Report r = StressRunner.run(new SharedPoolFactory(), Knobs.defaults(), new Settings(threads, 4_000, 4096, 0x5EED + run));
            assertThat(r.failures()).as("run %d", run).isEmpty();
            assertThat(r.freed()).isEqualTo(r.allocated()).isEqualTo(threads * 4_000L);
            assertThat(r.mappedAfterFree()).isLessThanOrEqualTo(r.retainedFloor());
        }
    }
}
