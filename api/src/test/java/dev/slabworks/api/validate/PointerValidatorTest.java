package dev.slabworks.api.validate;

import dev.slabworks.api.Region;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.Syscall;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each validation mode costs and caches. That every mode rejects every foreign address is pinned in
 * testkit's {@code ForeignAddressesTest}, beside the foreign addresses it uses.
 */
class PointerValidatorTest {
    static final long G = 1 << 20;

    static final class Owned extends Region {
        Owned(Mapping m) {
            super(m);
        }
    }

    private final Os os = new Os();
    private final Stats stats = new Stats(os);
    private final ThreadStats ts = stats.registerThread();
    private final RegionMap<Owned> regions = new RegionMap<>(G);
    private final Owned owned = new Owned(os.mapAligned(2 * G, G));

    {
        regions.register(owned);
    }

    @AfterEach
    void release() {
        regions.unregister(owned);
        os.unmap(owned.mapping());
    }

    private PointerValidator<Owned> validator(ValidationMode mode) {
        return new PointerValidator<>(mode, regions, os, Knobs.defaults().intValue(Knob.MINCORE_CACHE_ENTRIES));
    }

    @Test
    void registry_mode_makes_no_syscall() {
        PointerValidator<Owned> v = validator(ValidationMode.REGISTRY);
        MincoreCache cache = v.newThreadCache();
        for (int i = 0; i < 1000; i++) {
            v.find(owned.base() + i * 64L, ts, cache);
            v.find(0x1000L * i, ts, cache);
        }
        assertThat(os.syscalls().count(Syscall.MINCORE)).isZero();
    }

    @Test
    void mincore_mode_pays_one_mincore_per_check() {
        PointerValidator<Owned> v = validator(ValidationMode.MINCORE);
        MincoreCache cache = v.newThreadCache();
        for (int i = 0; i < 100; i++) {
            v.find(owned.base() + i * 64L, ts, cache);
        }
        assertThat(os.syscalls().count(Syscall.MINCORE)).isEqualTo(100);
    }

    @Test
    void mincore_cached_mode_pays_once_per_range_and_counts_hits_and_misses() {
        PointerValidator<Owned> v = validator(ValidationMode.MINCORE_CACHED);
        MincoreCache cache = v.newThreadCache();
        for (int i = 0; i < 1000; i++) {
            assertThat(v.find(owned.base() + (i * 4160L) % (2 * G), ts, cache)).isSameAs(owned);
        }
        assertThat(os.syscalls().count(Syscall.MINCORE)).isEqualTo(2); // one per granule of the region
        assertThat(ts.get(Stat.MINCORE_CACHE_MISSES)).isEqualTo(2);
        assertThat(ts.get(Stat.MINCORE_CACHE_HITS)).isEqualTo(998);
    }

    @Test
    void a_cached_range_that_was_unmapped_since_is_still_rejected() {
        PointerValidator<Owned> v = validator(ValidationMode.MINCORE_CACHED);
        MincoreCache cache = v.newThreadCache();
        Owned other = new Owned(os.mapAligned(G, G));
        regions.register(other);
        assertThat(v.find(other.base(), ts, cache)).isSameAs(other);
        regions.unregister(other);
        os.unmap(other.mapping());
        assertThat(v.find(other.base() + 64, ts, cache)).isNull();
        assertThat(ts.get(Stat.MINCORE_CACHE_HITS)).isEqualTo(1);
    }

    @Test
    void a_mincore_cached_thread_cache_has_the_entries_it_is_given() {
        PointerValidator<Owned> v = new PointerValidator<>(ValidationMode.MINCORE_CACHED, regions, os, 8);
        assertThat(v.newThreadCache().entries()).isEqualTo(8);
        assertThat(validator(ValidationMode.REGISTRY).newThreadCache().entries()).isEqualTo(1);
    }

    @Test
    void the_strategy_default_applies_when_the_knob_says_auto() {
        assertThat(ValidationMode.from(Knobs.defaults().text(Knob.VALIDATION), ValidationMode.MINCORE_CACHED))
                .isEqualTo(ValidationMode.MINCORE_CACHED);
        assertThat(ValidationMode.from(Knobs.defaults().with(Knob.VALIDATION, "MINCORE").text(Knob.VALIDATION),
                ValidationMode.REGISTRY)).isEqualTo(ValidationMode.MINCORE);
    }
}
