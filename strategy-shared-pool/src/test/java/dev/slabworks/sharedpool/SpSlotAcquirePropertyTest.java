package dev.slabworks.sharedpool;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.api.Region;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.RegionMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any sequence of slab assignments and returns keeps the pool's invariants, and every assignment follows the
 * three-stage acquire of {@link SlabPool}'s class comment, computed from a model kept by this test: per class the
 * slots it emptied, newest first, which leave the model when they are taken or their SuperSlab empties whole.
 */
class SpSlotAcquirePropertyTest {
    @FuzzTest(maxDuration = "10s")
    void every_assignment_follows_the_three_stage_acquire(FuzzedDataProvider data) {
        Os os = new Os();
        Stats stats = new Stats(os);
        ThreadStats t = stats.registerThread();
        int lruSize = data.consumeInt(0, 3);
        long delay = data.consumeBoolean() ? 0 : -1;
        SlabPool pool = new SlabPool(os, stats, new RegionMap<Region>(64 << 10), 256 << 10, 64 << 10, true, lruSize,
                delay, delay, Advice.DONTNEED);
        List<SlabSlot> assigned = new ArrayList<>();
        Map<Integer, Deque<SlabSlot>> emptied = new HashMap<>();
        try {
            for (int step = 0; step < 300 && data.remainingBytes() > 0; step++) {
                if (assigned.isEmpty() || data.consumeInt(0, 2) > 0) {
                    int cls = data.consumeInt(0, 5); // few classes, so that EMPTY slots get taken back
                    Deque<SlabSlot> own = emptied.getOrDefault(cls, new ArrayDeque<>());
                    List<SharedSuperSlab> before = pool.mappedSuperSlabs();
                    SharedSuperSlab fullest = before.stream()
                            .filter(s -> s.freeCount > 0 && s.freeCount < s.slotCount())
                            .min(Comparator.<SharedSuperSlab>comparingInt(s -> s.freeCount).thenComparingLong(s -> s.start))
                            .orElse(null);
                    SlabSlot expected = !own.isEmpty() ? own.peekFirst()
                            : fullest != null ? fullest.slots[fullest.lowestFreeSlot()] : null;
                    boolean lruHad = pool.lruSize() > 0;
                    SlabSlot got = pool.assign(cls, this, false, t);
                    if (expected != null) {
                        assertThat(got).isSameAs(expected);
                    } else if (lruHad) {
                        assertThat(before).contains(got.superSlab); // reused, not mapped
                    } else {
                        assertThat(before).doesNotContain(got.superSlab);
                    }
                    emptied.values().forEach(d -> d.remove(got));
                    assigned.add(got);
                } else {
                    SlabSlot back = assigned.remove(data.consumeInt(0, assigned.size() - 1));
                    int cls = back.slab.sizeClass();
                    pool.giveBack(back, t);
                    if (back.state == SlabSlot.EMPTY) {
                        emptied.computeIfAbsent(cls, c -> new ArrayDeque<>()).addFirst(back);
                    } else {
                        assertThat(back.superSlab.freeCount).isEqualTo(back.superSlab.slotCount());
                        emptied.values().forEach(d -> d.removeIf(s -> s.superSlab == back.superSlab));
                    }
                }
                pool.checkInvariants();
                assertThat(pool.lruSize()).isLessThanOrEqualTo(lruSize);
                assertThat(t.get(Stat.SLOTS_FROM_EMPTY) + t.get(Stat.SLOTS_FROM_UNUSED) + t.get(Stat.SLOTS_FROM_NEW_SUPERSLAB))
                        .isEqualTo(t.get(Stat.SLABS_ASSIGNED));
            }
        } finally {
            pool.closeAll();
        }
        assertThat(os.mappedBytes()).isZero();
    }
}
