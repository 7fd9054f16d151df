package dev.slabworks.api.superslab;

import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SuperSlabLruTest {
    private final Stats stats = new Stats(new Os());
    private final ThreadStats t = stats.registerThread();

    @Test
    void take_returns_the_most_recently_cached_and_counts_hits_and_misses() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(4);
        assertThat(lru.take(t)).isNull();
        assertThat(lru.put("a", t)).isEmpty();
        assertThat(lru.put("b", t)).isEmpty();
        assertThat(lru.take(t)).isEqualTo("b");
        assertThat(lru.take(t)).isEqualTo("a");
        assertThat(t.get(Stat.LRU_HITS)).isEqualTo(2);
        assertThat(t.get(Stat.LRU_MISSES)).isEqualTo(1);
        assertThat(t.get(Stat.LRU_EVICTIONS)).isZero();
    }

    @Test
    void a_full_cache_hands_back_its_oldest_entry_to_release() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(2);
        lru.put("a", t);
        lru.put("b", t);
        assertThat(lru.put("c", t)).containsExactly("a");
        assertThat(lru.size()).isEqualTo(2);
        assertThat(lru.contains("a")).isFalse();
        assertThat(t.get(Stat.LRU_EVICTIONS)).isEqualTo(1);
    }

    @Test
    void capacity_zero_hands_every_superslab_back_at_once_and_leaves_prewarmed_ones_alone() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(0);
        lru.prewarm(2, () -> "p", t);
        assertThat(lru.put("a", t)).containsExactly("a");
        assertThat(lru.size()).isEqualTo(2);
        assertThat(t.get(Stat.LRU_EVICTIONS)).isEqualTo(1);
    }

    @Test
    void prewarm_fills_as_asked_and_the_next_put_evicts_the_oldest_down_to_capacity() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(2);
        int[] made = {0};
        lru.prewarm(4, () -> "p" + made[0]++, t);
        assertThat(t.get(Stat.PREWARMED)).isEqualTo(4);
        assertThat(lru.size()).isEqualTo(4);
        assertThat(lru.put("a", t)).containsExactly("p0", "p1", "p2");
        assertThat(lru.take(t)).isEqualTo("a");
        assertThat(lru.prewarmedNeverTaken()).as("evicted or still cached, never taken").isEqualTo(4);
        assertThat(lru.take(t)).isEqualTo("p3");
        assertThat(lru.prewarmedNeverTaken()).isEqualTo(3);
    }

    @Test
    void clear_hands_back_everything_cached() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(3);
        lru.prewarm(1, () -> "p", t);
        lru.put("a", t);
        assertThat(lru.clear()).containsExactly("p", "a");
        assertThat(lru.size()).isZero();
    }
}
