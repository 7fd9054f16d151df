package dev.slabworks.testkit.campaign;

import dev.slabworks.api.Region;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.MincoreCache;
import dev.slabworks.api.validate.PointerValidator;
import dev.slabworks.api.validate.RegionMap;
import dev.slabworks.api.validate.ValidationMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every validation mode tells a registered region from each of {@link Foreign}'s addresses. */
class ForeignAddressesTest {
    static final long G = 1 << 20;

    static final class Owned extends Region {
        Owned(Mapping m) {
            super(m);
        }
    }

    private final Os os = new Os();
    private final ThreadStats ts = new Stats(os).registerThread();
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

    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    void every_mode_accepts_owned_addresses_and_rejects_everything_else(ValidationMode mode) {
        PointerValidator<Owned> v = new PointerValidator<>(mode, regions, os, Knobs.defaults().intValue(Knob.MINCORE_CACHE_ENTRIES));
        MincoreCache cache = v.newThreadCache();
        for (long a : new long[] {owned.base(), owned.base() + 16, owned.base() + G + 4096, owned.base() + 2 * G - 16}) {
            assertThat(v.find(a, ts, cache)).as("0x%x in %s", a, mode).isSameAs(owned);
        }
        try (Foreign foreign = new Foreign()) {
            for (long a : foreign.all()) {
                assertThat(v.find(a, ts, cache)).as("0x%x in %s", a, mode).isNull();
            }
        }
        assertThat(v.find(owned.base() + 2 * G, ts, cache)).isNull();
    }
}
