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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /** {@link Supply} whose blocks are tagged with a name derived from the address. */
    static final class TaggedSupply extends Supply {
        @Override
        public Object tagOf(long address) {
            return "t" + address;
        }
    }

    @Test
    void a_tagged_cache_gives_each_block_back_with_its_own_tag_through_refills_pushes_and_flushes() {
        FrontCache fc = new FrontCache(8, 3, true);
        TaggedSupply s = new TaggedSupply();
        long refilled = fc.popMiss(4, s, stats);
        assertThat(fc.poppedTag(4)).isEqualTo("t" + refilled); // a refill asks the backend
        for (long a = 0x10_000; a < 0x10_000 + 16 * 20; a += 16) {
            fc.push(4, a, "t" + a, s, stats); // overflows: the coldest are flushed, the rest shift down
        }
        int held = fc.count(4);
        assertThat(s.flushes).isPositive();
        for (int i = 0; i < held; i++) {
            long p = fc.popHit(4);
            assertThat(fc.poppedTag(4)).as("block %x", p).isEqualTo("t" + p);
        }
        long again = fc.popMiss(4, s, stats); // refilled from what was flushed
        assertThat(fc.poppedTag(4)).isEqualTo("t" + again);
    }

    @Test
    void a_tagged_cache_refuses_an_untagged_push_rather_than_pair_a_block_with_a_stale_tag() {
        FrontCache fc = new FrontCache(8, 3, true);
        assertThatThrownBy(() -> fc.push(1, 0x1000, new TaggedSupply(), stats))
                .isInstanceOf(IllegalStateException.class);
        assertThat(fc.count(1)).isZero();
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
