package dev.slabworks.sharedpool;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.contract.StandardError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DebugReportTest {
    @Test
    void the_debug_switches_report_lru_prewarm_and_front_cache_figures_on_close() {
        String report = StandardError.during(() -> {
            SharedPoolAllocator a = new SharedPoolAllocator(Knobs.defaults().with(Knob.SS_LRU_DEBUG, true)
                    .with(Knob.SS_PREWARM_DEBUG, true).with(Knob.FRONT_STATS, true).with(Knob.SS_PREWARM, 2));
            a.free(a.allocate(64));
            a.close();
        });
        assertThat(report).contains("[shared-pool] LRU (size 16): hits 1, misses 0").contains("evictions 0")
                .contains("prewarm: 2 SuperSlabs").contains("1 used, 1 never used")
                .contains("front cache (cap 256, refill 32, front-direct true): hits 0, misses 1");
    }

    @Test
    void nothing_is_reported_unless_asked() {
        String report = StandardError.during(() -> {
            SharedPoolAllocator a = new SharedPoolAllocator(Knobs.defaults());
            a.free(a.allocate(64));
            a.close();
        });
        assertThat(report).isEmpty();
    }
}
