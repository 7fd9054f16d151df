package dev.slabworks.api.front;

import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrontCacheSparesTest {
    private final ThreadStats stats = new Stats(new Os()).registerThread();

    @Test
    void a_drained_cache_is_kept_and_handed_to_the_next_taker_once() {
        FrontCacheSpares spares = new FrontCacheSpares();
        FrontCache used = new FrontCache(64, 16);
        FrontCacheTest.Supply supply = new FrontCacheTest.Supply();
        used.pop(5, supply, stats);
        used.drain(supply, stats);

        spares.give(used);

        assertThat(spares.take()).isSameAs(used);
        assertThat(spares.take()).as("handed out once").isNull();
    }

    @Test
    void a_cache_still_holding_blocks_is_dropped() {
        FrontCacheSpares spares = new FrontCacheSpares();
        FrontCache holding = new FrontCache(64, 16);
        holding.pop(5, new FrontCacheTest.Supply(), stats); // a refill of 16, one handed out: 15 held

        spares.give(holding);

        assertThat(holding.isEmpty()).isFalse();
        assertThat(spares.size()).isZero();
        assertThat(spares.take()).isNull();
    }

    @Test
    void no_more_than_the_capacity_is_kept() {
        FrontCacheSpares spares = new FrontCacheSpares(2);
        for (int i = 0; i < 5; i++) {
            spares.give(new FrontCache(64, 16));
        }
        assertThat(spares.size()).isEqualTo(2);
    }
}
