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

    /** Puts {@code n} fresh entries, returning how many the cache evicted. */
    private int putFresh(SuperSlabLru<String> lru, int n, String prefix) {
        int evicted = 0;
        for (int i = 0; i < n; i++) {
            evicted += lru.put(prefix + i, t).size();
        }
        return evicted;
    }

    @Test
    void a_miss_after_an_eviction_doubles_the_room_up_to_the_most() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(2, 5);
        assertThat(putFresh(lru, 3, "burst")).isEqualTo(1); // a burst of empties larger than the room
        lru.take(t);
        lru.take(t);
        assertThat(lru.take(t)).as("a miss").isNull();
        assertThat(lru.capacity()).isEqualTo(4);

        assertThat(putFresh(lru, 5, "again")).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            lru.take(t);
        }
        assertThat(lru.capacity()).as("no more than the most").isEqualTo(5);
        assertThat(putFresh(lru, 5, "fits")).isZero();
    }

    @Test
    void a_miss_without_an_eviction_since_the_last_one_leaves_the_room_alone() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(2, 8);
        lru.put("a", t);
        lru.take(t);
        assertThat(lru.take(t)).isNull();
        assertThat(lru.take(t)).isNull();
        assertThat(lru.capacity()).isEqualTo(2);
    }

    @Test
    void room_no_take_used_for_a_while_goes_back_down_to_the_base() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(2, 8);
        putFresh(lru, 3, "burst");
        lru.take(t);
        lru.take(t);
        lru.take(t); // a miss after an eviction: room 4
        assertThat(lru.capacity()).isEqualTo(4);
        putFresh(lru, 4, "kept"); // the grace window: 4 cached, none taken
        assertThat(lru.capacity()).isEqualTo(4);

        List<String> evicted = new ArrayList<>(); // a second window, taking one after each put: never fewer than 3
        for (int i = 0; i < 4; i++) {
            evicted.addAll(lru.put("idle" + i, t));
            lru.take(t);
        }

        assertThat(lru.capacity()).as("4 less the 3 never taken, but not below the base").isEqualTo(2);
        assertThat(lru.size()).isLessThanOrEqualTo(2);
        assertThat(evicted).as("what no take needed went back").isNotEmpty();
    }

    @Test
    void room_gives_back_only_what_no_take_dipped_into() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(2, 16);
        for (int grow = 0; grow < 3; grow++) { // three bursts past the room, each followed by a miss: room 16
            putFresh(lru, lru.capacity() + 1, "burst" + grow);
            while (lru.take(t) != null) {
                // drained: the next take misses
            }
        }
        assertThat(lru.capacity()).isEqualTo(16);
        putFresh(lru, 16, "grace"); // the first window after a doubling gives nothing back
        for (int i = 0; i < 11; i++) {
            lru.take(t); // the cache dips to 5
        }
        putFresh(lru, 16, "window");

        assertThat(lru.capacity()).as("16 less the 5 never taken").isEqualTo(11);
    }

    @Test
    void shrinking_to_the_base_hands_back_what_a_grown_room_held_past_it_and_leaves_an_unchanged_one_alone() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(2, 8);
        lru.prewarm(3, () -> "p", t);
        assertThat(lru.shrinkToBase(t)).as("never grew: prewarmed ones stay").isEmpty();
        lru.clear();
        putFresh(lru, 3, "burst");
        lru.take(t);
        lru.take(t);
        lru.take(t); // room 4
        putFresh(lru, 4, "kept");

        assertThat(lru.shrinkToBase(t)).containsExactly("kept0", "kept1");
        assertThat(lru.capacity()).isEqualTo(2);
        assertThat(lru.size()).isEqualTo(2);
    }

    @Test
    void with_a_base_of_zero_the_cache_stays_off_whatever_the_most() {
        SuperSlabLru<String> lru = new SuperSlabLru<>(0, 64);
        for (int i = 0; i < 3; i++) {
            assertThat(lru.put("e" + i, t)).containsExactly("e" + i);
            assertThat(lru.take(t)).isNull();
        }
        assertThat(lru.capacity()).isZero();
    }
}
