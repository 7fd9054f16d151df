package dev.slabworks.api.validate;

import dev.slabworks.api.Region;
import dev.slabworks.api.os.Mapping;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionMapTest {
    static final long G = 1 << 20;

    static final class Fake extends Region {
        Fake(long base, long size) {
            super(new Mapping(base, size, base, size));
        }
    }

    @Test
    void a_registered_region_is_found_from_every_address_inside_it_and_nowhere_else() {
        RegionMap<Fake> map = new RegionMap<>(G);
        Fake r = new Fake(0x7f00_0000_0000L, 3 * G);
        map.register(r);
        assertThat(map.lookup(r.base())).isSameAs(r);
        assertThat(map.lookup(r.base() + 1)).isSameAs(r);
        assertThat(map.lookup(r.base() + 3 * G - 1)).isSameAs(r);
        assertThat(map.lookup(r.base() - 1)).isNull();
        assertThat(map.lookup(r.base() + 3 * G)).isNull();
        assertThat(map.size()).isEqualTo(1);
        map.unregister(r);
        assertThat(map.lookup(r.base() + 5)).isNull();
        assertThat(map.size()).isZero();
    }

    @Test
    void addresses_outside_the_48_bit_user_space_are_never_found() {
        RegionMap<Fake> map = new RegionMap<>(G);
        map.register(new Fake(0, G));
        assertThat(map.lookup(0)).isNotNull();
        assertThat(map.lookup(-1)).isNull();
        assertThat(map.lookup(Long.MIN_VALUE)).isNull();
        assertThat(map.lookup(1L << 48)).isNull();
        assertThat(map.lookup((1L << 48) + 5)).isNull(); // would alias granule 0 without the range check
    }

    @Test
    void regions_must_be_whole_granules_and_may_not_overlap() {
        RegionMap<Fake> map = new RegionMap<>(G);
        assertThatThrownBy(() -> map.register(new Fake(G + 4096, G))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> map.register(new Fake(G, G / 2))).isInstanceOf(IllegalArgumentException.class);
        map.register(new Fake(4 * G, 2 * G));
        assertThatThrownBy(() -> map.register(new Fake(5 * G, G))).isInstanceOf(IllegalStateException.class);
        assertThat(map.lookup(5 * G)).isNotNull();
        assertThatThrownBy(() -> map.unregister(new Fake(8 * G, G))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void small_granules_cover_the_whole_address_space_too() {
        RegionMap<Fake> map = new RegionMap<>(64 << 10);
        Fake high = new Fake((1L << 47) - (64 << 10), 64 << 10);
        Fake low = new Fake(64 << 10, 64 << 10);
        map.register(high);
        map.register(low);
        assertThat(map.lookup((1L << 47) - 1)).isSameAs(high);
        assertThat(map.lookup((64 << 10) + 100)).isSameAs(low);
        assertThat(map.lookup(0x5555_0000_0000L)).isNull();
    }
}
