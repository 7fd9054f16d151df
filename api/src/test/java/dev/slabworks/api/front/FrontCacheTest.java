package dev.slabworks.api.front;

import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FrontCacheTest {
    /** A backend with an unbounded supply of fake addresses, remembering what came back. */
    static class Supply implements FrontCache.Backend {
        long next = 0x1000;
        final ArrayDeque<Long> returned = new ArrayDeque<>();
        int refills;
        int flushes;

        @Override
        public int refill(int cls, long[] into, int offset, int max) {
            refills++;
            for (int i = 0; i < max; i++) {
                Long back = returned.pollFirst();
                into[offset + i] = back != null ? back : (next += 16);
            }
            return max;
        }

        @Override
        public void flush(int cls, long[] from, int offset, int count) {
            flushes++;
            for (int i = 0; i < count; i++) {
                returned.add(from[offset + i]);
            }
        }
    }

    private final ThreadStats stats = new Stats(new Os()).registerThread();

    @Test
    void a_miss_refills_a_batch_and_the_following_pops_hit() {
        FrontCache fc = new FrontCache(64, 16);
        Supply s = new Supply();
        Set<Long> got = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            got.add(fc.pop(3, s, stats));
        }
        assertThat(got).hasSize(16);
        assertThat(s.refills).isEqualTo(1);
        assertThat(stats.get(Stat.FRONT_MISSES)).isEqualTo(1);
        assertThat(stats.get(Stat.FRONT_HITS)).isEqualTo(15);
        fc.pop(3, s, stats);
        assertThat(s.refills).isEqualTo(2);
    }

    @Test
    void pop_hit_takes_the_top_without_counting_and_pop_miss_refills_and_counts_the_miss() {
        FrontCache fc = new FrontCache(8, 4);
        Supply s = new Supply();
        assertThat(fc.popHit(2)).isZero();
        long first = fc.popMiss(2, s, stats);
        assertThat(first).isNotZero();
        assertThat(fc.count(2)).isEqualTo(3);
        fc.push(2, 0x9990, s, stats);
        assertThat(fc.popHit(2)).isEqualTo(0x9990);
        assertThat(fc.count(2)).isEqualTo(3);
        assertThat(stats.get(Stat.FRONT_MISSES)).isEqualTo(1);
        assertThat(stats.get(Stat.FRONT_HITS)).isZero();
    }

    @Test
    void pushes_are_popped_last_in_first_out() {
        FrontCache fc = new FrontCache(8, 4);
        Supply s = new Supply();
        fc.push(0, 100, s, stats);
        fc.push(0, 200, s, stats);
        assertThat(fc.pop(0, s, stats)).isEqualTo(200);
        assertThat(fc.pop(0, s, stats)).isEqualTo(100);
    }

    @Test
    void a_full_class_flushes_its_coldest_blocks_and_loses_none() {
        FrontCache fc = new FrontCache(8, 3);
        Supply s = new Supply();
        List<Long> pushed = new ArrayList<>();
        for (long a = 16; a <= 16 * 20; a += 16) {
            fc.push(5, a, s, stats);
            pushed.add(a);
        }
        assertThat(fc.count(5)).isLessThanOrEqualTo(8);
        assertThat(s.returned).startsWith(16L, 32L, 48L); // the oldest went first
        List<Long> all = new ArrayList<>(s.returned);
        int held = fc.count(5);
        for (int i = 0; i < held; i++) {
            all.add(fc.pop(5, s, stats));
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(pushed);
        assertThat(stats.get(Stat.FRONT_FLUSHES)).isEqualTo(s.flushes);
    }

    @Test
    void drain_returns_everything_of_every_class() {
        FrontCache fc = new FrontCache(8, 4);
        Supply s = new Supply();
        fc.push(0, 16, s, stats);
        fc.push(39, 32, s, stats);
        fc.drain(s, stats);
        assertThat(s.returned).containsExactlyInAnyOrder(16L, 32L);
        assertThat(fc.count(0)).isZero();
        assertThat(fc.count(39)).isZero();
    }

    @Test
    void capacity_zero_disables_the_cache() {
        FrontCache fc = new FrontCache(0, 32);
        Supply s = new Supply();
        assertThat(fc.enabled()).isFalse();
        assertThat(fc.push(1, 16, s, stats)).isFalse();
        assertThat(fc.pop(1, s, stats)).isZero();
        assertThat(s.refills).isZero();
    }
}
