package dev.slabworks.sharedpool;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.api.Region;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.RegionMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any sequence of slab assignments and returns keeps the pool's invariants, and every assignment
 * follows the policy of {@link SlabPool}'s class comment, computed independently from the pool's
 * state before the call.
 */
class FullestFirstPropertyTest {
    @FuzzTest(maxDuration = "10s")
    void every_assignment_follows_the_fullest_first_policy(FuzzedDataProvider data) {
        Os os = new Os();
        Stats stats = new Stats(os);
        ThreadStats t = stats.registerThread();
        int lruSize = data.consumeInt(0, 3);
        long delay = data.consumeBoolean() ? 0 : -1;
        SlabPool pool = new SlabPool(os, stats, new RegionMap<Region>(64 << 10), 256 << 10, 64 << 10, lruSize,
                delay, Advice.DONTNEED);
        List<SlabSlot> assigned = new ArrayList<>();
        try {
            for (int step = 0; step < 300 && data.remainingBytes() > 0; step++) {
                if (assigned.isEmpty() || data.consumeInt(0, 2) > 0) {
                    List<SharedSuperSlab> before = pool.mappedSuperSlabs();
                    SharedSuperSlab expected = before.stream()
                            .filter(s -> s.freeCount > 0 && s.freeCount < s.slotCount())
                            .min(Comparator.<SharedSuperSlab>comparingInt(s -> s.freeCount).thenComparingLong(s -> s.start))
                            .orElse(null);
                    int expectedSlot = expected == null ? -1 : expected.lowestFreeSlot();
                    boolean lruHad = pool.lruSize() > 0;
                    SlabSlot got = pool.assign(data.consumeInt(0, 39), this, t);
                    if (expected != null) {
                        assertThat(got.superSlab).isSameAs(expected);
                        assertThat(got.index).isEqualTo(expectedSlot);
                    } else if (lruHad) {
                        assertThat(before).contains(got.superSlab); // reused, not mapped
                    } else {
                        assertThat(before).doesNotContain(got.superSlab);
                    }
                    assigned.add(got);
                } else {
                    pool.giveBack(assigned.remove(data.consumeInt(0, assigned.size() - 1)), t);
                }
                pool.checkInvariants();
                assertThat(pool.lruSize()).isLessThanOrEqualTo(lruSize);
            }
        } finally {
            pool.closeAll();
        }
        assertThat(os.mappedBytes()).isZero();
    }
}
