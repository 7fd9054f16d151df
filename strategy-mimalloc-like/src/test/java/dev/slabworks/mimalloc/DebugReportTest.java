package dev.slabworks.mimalloc;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.testkit.contract.StandardError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DebugReportTest {
    /** One page per segment: trim empties the segment into the LRU, and the next page comes from it. */
    private static final Knobs ONE_PAGE_SEGMENTS = Knobs.defaults().with(MimallocLikeKnobs.SEGMENT_SIZE, "64KiB")
            .with(MimallocLikeKnobs.PAGE_SIZE, "64KiB");

    @Test
    void the_lru_of_empty_segments_counts_its_hits_and_misses() {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(ONE_PAGE_SEGMENTS)) {
            a.free(a.allocate(64));
            a.trim();
            a.free(a.allocate(64));
            assertThat(a.stats().get(Stat.LRU_MISSES)).isEqualTo(1);
            assertThat(a.stats().get(Stat.LRU_HITS)).isEqualTo(1);
        }
    }

    @Test
    void the_lru_debug_switch_reports_the_lru_of_empty_segments_on_close() {
        String report = StandardError.during(() -> {
            MimallocLikeAllocator a = new MimallocLikeAllocator(ONE_PAGE_SEGMENTS.with(Knob.SS_LRU_DEBUG, true));
            a.free(a.allocate(64));
            a.trim();
            a.free(a.allocate(64));
            a.close();
        });
        assertThat(report)
                .contains("[mimalloc-like] LRU (size 16): hits 1, misses 1 (hit rate 50.00 %), evictions 0; "
                        + "segments peak 1");
    }
}
