package dev.slabworks.mimalloc;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool's purge delay ({@code PurgeDelay}) as mimalloc-like's pages meet it. */
class AdaptivePurgeTest {
    private static final int BLOCKS = 20_000;

    private static long[] allocateMany(MimallocLikeAllocator a) {
        long[] blocks = new long[BLOCKS];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = a.allocate(512);
        }
        return blocks;
    }

    private static void freeAll(MimallocLikeAllocator a, long[] blocks) {
        for (long b : blocks) {
            a.free(b);
        }
    }

    private static MimallocLikeAllocator withDelay(long maxMs) {
        return new MimallocLikeAllocator(Knobs.defaults().with(Knob.PURGE_DELAY_MS, "300")
                .with(Knob.PURGE_DELAY_MAX_MS, String.valueOf(maxMs)));
    }

    @Test
    void pages_taken_back_soon_after_their_purge_count_as_premature_purges() throws InterruptedException {
        try (MimallocLikeAllocator a = withDelay(1000)) {
            freeAll(a, allocateMany(a));
            Thread.sleep(400); // past the 300 ms delay
            a.trim(); // purges the retired pages
            assertThat(a.stats().get(Stat.SLABS_PURGED)).isPositive();
            freeAll(a, allocateMany(a)); // within 300 ms of the purge: the same pages again
            assertThat(a.stats().get(Stat.PURGES_PREMATURE)).isPositive();
        }
    }

    @Test
    void after_premature_purges_the_same_pause_no_longer_purges_and_with_a_fixed_delay_it_still_does()
            throws InterruptedException {
        for (long maxMs : new long[] {1000, 300}) {
            try (MimallocLikeAllocator a = withDelay(maxMs)) {
                freeAll(a, allocateMany(a));
                Thread.sleep(400);
                a.trim();
                freeAll(a, allocateMany(a)); // premature: one burst: the delay doubles once, to 600 ms, unless fixed
                long purged = a.stats().get(Stat.SLABS_PURGED);
                Thread.sleep(400);
                a.trim();
                long again = a.stats().get(Stat.SLABS_PURGED) - purged;
                if (maxMs > 300) {
                    assertThat(again).as("400 ms is below the lengthened delay").isZero();
                } else {
                    assertThat(again).as("a fixed delay of 300 ms").isPositive();
                }
            }
        }
    }
}
