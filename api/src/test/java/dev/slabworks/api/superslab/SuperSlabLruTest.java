package dev.slabworks.api.superslab;

import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuperSlabLruTest {
    private final Stats stats = new Stats(new Os());
    private final ThreadStats t = stats.registerThread();
    private final List<String> released = new ArrayList<>();

    @Test
    void take_returns_the_most_recently_cached_and_counts_hits_and_misses() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(4, released::add);
        assertThat(lru.take(t)).isNull();
        lru.put("a", t);
        lru.put("b", t);
        assertThat(lru.take(t)).isEqualTo("b");
        assertThat(lru.take(t)).isEqualTo("a");
        assertThat(t.get(Stat.LRU_HITS)).isEqualTo(2);
        assertThat(t.get(Stat.LRU_MISSES)).isEqualTo(1);
        assertThat(released).isEmpty();
    }

    @Test
    void a_full_cache_evicts_its_oldest_entry() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(2, released::add);
        lru.put("a", t);
        lru.put("b", t);
        lru.put("c", t);
        assertThat(released).containsExactly("a");
        assertThat(lru.size()).isEqualTo(2);
        assertThat(t.get(Stat.LRU_EVICTIONS)).isEqualTo(1);
    }

    @Test
    void capacity_zero_releases_every_superslab_at_once() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(0, released::add);
        lru.put("a", t);
        assertThat(released).containsExactly("a");
        assertThat(lru.size()).isZero();
        assertThat(lru.prewarm(3, () -> "p", t)).isZero();
    }

    @Test
    void prewarm_never_fills_past_capacity_and_clear_releases_everything() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(3, released::add);
        int[] made = {0};
        assertThat(lru.prewarm(5, () -> "p" + made[0]++, t)).isEqualTo(3);
        assertThat(t.get(Stat.PREWARMED)).isEqualTo(3);
        lru.clear();
        assertThat(released).containsExactly("p0", "p1", "p2");
        assertThat(lru.size()).isZero();
    }
}
