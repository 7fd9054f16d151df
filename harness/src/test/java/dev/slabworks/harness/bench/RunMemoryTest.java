package dev.slabworks.harness.bench;

import dev.slabworks.api.MemoryUse;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.wiring.Contenders;
import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunMemoryTest {
    private static final RandomMixed SEED = new RandomMixed(200_000, 4096, 1234567, 16, 1024);

    @Test
    void every_contender_has_a_resident_peak_and_all_share_the_workloads_exact_live_bytes() {
        Contenders contenders = Contenders.create(Map.of());
        List<Contender> chosen = contenders.select(List.of(Contenders.ALL)).stream()
                .filter(c -> !c.name().equals(DirectOnlyAllocator.FACTORY.name())) // test-only, measures nothing
                .toList();
        List<RunResult> runs = new BenchRunner(1, 0, Progress.silent())
                .run(ContenderSetup.plain(chosen, contenders.knobs(), List.of()), List.of(SEED));

        long livePeak = runs.getFirst().memory().liveBytesPeak();
        assertThat(livePeak).as("about WS/2 blocks of 520 bytes").isBetween(900_000L, 1_300_000L);
        for (RunResult r : runs) {
            MemoryFigures m = r.memory();
            assertThat(r.failed()).as(r.strategy() + ": " + r.error()).isFalse();
            assertThat(m.liveBytesPeak()).as(r.strategy()).isEqualTo(livePeak);
            assertThat(m.liveBytesEnd()).as(r.strategy()).isPositive().isLessThanOrEqualTo(livePeak);
            if (m.residentBound() == MemoryUse.Bound.AT_LEAST) {
                // glibc's counts are the whole process's: the JVM freeing its own malloc memory during the loop
                // (compiler arenas, for one) can hide this run's growth, so a floor may read 0, never below.
                assertThat(m.residentBytesPeak()).as(r.strategy() + " resident floor").isNotNegative();
            } else {
                assertThat(m.residentBytesPeak()).as(r.strategy() + " resident peak (" + m.residentFrom() + ")")
                        .isPositive();
            }
            assertThat(m.residentBytesEnd()).as(r.strategy()).isNotNegative().isLessThanOrEqualTo(m.residentBytesPeak());
            assertThat(m.residentBytesAfterTrim()).as(r.strategy()).isNotNegative();
            assertThat(m.samples()).as(r.strategy() + ": a reading at the start and one at the loop's end").isGreaterThanOrEqualTo(2);
            if (r.kind().equals("strategy")) {
                assertThat(m.residentFrom()).isEqualTo("mincore over its mappings");
                assertThat(m.mappedBytesPeak()).isGreaterThanOrEqualTo(m.mappedBytesEnd()).isGreaterThanOrEqualTo(m.residentBytesPeak());
                assertThat(m.overhead()).as(r.strategy() + ": blocks are rounded up to their class").isGreaterThan(1.0);
            }
        }
    }

    @Test
    void with_sampling_off_there_is_no_peak_but_the_loops_end_and_after_trim_are_still_read() {
        Contenders contenders = Contenders.create(Map.of(HarnessKnobs.MEMORY_SAMPLE_MS.key(), "0"));
        List<RunResult> runs = new BenchRunner(1, 0, Progress.silent())
                .run(ContenderSetup.plain(contenders.select(List.of("superslab")), contenders.knobs(), List.of()),
                        List.of(SEED));
        MemoryFigures m = runs.getFirst().memory();
        assertThat(m.residentBytesPeak()).isEqualTo(MemoryFigures.UNKNOWN);
        assertThat(Double.isNaN(m.overhead())).isTrue();
        assertThat(m.residentBytesEnd()).isPositive();
        assertThat(m.residentBytesAfterTrim()).isPositive();
        assertThat(m.samples()).as("the readings at the start and at the loop's end only").isEqualTo(2);
    }
}
