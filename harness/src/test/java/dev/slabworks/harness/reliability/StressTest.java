package dev.slabworks.harness.reliability;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.campaign.StressRunner;
import dev.slabworks.testkit.campaign.StressRunner.Report;
import dev.slabworks.testkit.campaign.StressRunner.Settings;
import dev.slabworks.api.knobs.Knobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The multi-thread stress with 2 and 8 threads on every strategy, and proof that it catches broken allocators. */
class StressTest {
    private static final int BLOCKS_PER_THREAD = 4_000;

    static Stream<Arguments> strategiesAndThreads() {
        List<Arguments> out = new ArrayList<>();
        for (AllocatorFactory f : TestStrategies.correct()) {
            out.add(Arguments.of(f.name(), 2));
            out.add(Arguments.of(f.name(), 8));
        }
        return out.stream();
    }

    private static Report stress(AllocatorFactory f, int threads) {
        return StressRunner.run(f, Knobs.defaults(), Settings.of(threads, BLOCKS_PER_THREAD));
    }

    @ParameterizedTest(name = "{0} with {1} threads")
    @MethodSource("strategiesAndThreads")
    void no_block_is_lost_or_corrupted_and_everything_is_returned(String strategy, int threads) {
        AllocatorFactory f = TestStrategies.correct().stream().filter(x -> x.name().equals(strategy)).findFirst().orElseThrow();
        Report r = stress(f, threads);
        assertThat(r.failures()).as("failures of %s with %d threads", strategy, threads).isEmpty();
        assertThat(r.allocated()).isEqualTo((long) threads * BLOCKS_PER_THREAD);
        assertThat(r.freed()).isEqualTo(r.allocated());
        assertThat(r.handedToOtherThreads()).isGreaterThan(r.allocated() / 4);
        assertThat(r.mappedAfterFree()).isLessThanOrEqualTo(r.retainedFloor());
    }

    @Test
    void an_allocator_that_loses_frees_is_caught() {
        Report r = stress(TestStrategies.broken(BrokenAllocators.LOSES_FREES), 4);
        assertThat(r.passed()).isFalse();
        assertThat(r.failures()).anyMatch(l -> l.startsWith("stats say"));
    }

    @Test
    void an_allocator_that_hands_out_a_live_block_again_is_caught() {
        Report r = stress(TestStrategies.broken(BrokenAllocators.HANDS_OUT_LIVE_BLOCK), 4);
        assertThat(r.passed()).isFalse();
        assertThat(r.duplicates() + r.corrupted()).isPositive();
    }

    @Test
    void an_allocator_that_leaks_on_close_is_caught() {
        Report r = stress(TestStrategies.broken(BrokenAllocators.LEAKS_ON_CLOSE), 2);
        assertThat(r.failures()).anyMatch(l -> l.startsWith("close() left"));
    }
}
