package dev.slabworks.superslab;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.api.validate.ValidationMode;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** What front-direct mode and the validation modes do, seen through the counters. */
class SuperSlabFrontAndValidationTest {

    /** A small random-mixed run: ws slots, a full slot is freed, an empty one allocated. */
    private static void churn(Allocator a, int iterations, int ws) {
        long[] slots = new long[ws];
        SplittableRandom rnd = new SplittableRandom(1234567);
        for (int i = 0; i < iterations; i++) {
            int slot = rnd.nextInt(ws);
            if (slots[slot] != 0) {
                a.free(slots[slot]);
                slots[slot] = 0;
            } else {
                slots[slot] = a.allocate(16 + rnd.nextInt(1009));
            }
        }
        for (long p : slots) {
            if (p != 0) {
                a.free(p);
            }
        }
    }

    @Test
    void front_direct_serves_most_allocations_from_the_front_cache() {
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults())) {
            churn(a, 50_000, 512);
            StatsSnapshot s = a.stats();
            long hits = s.get(Stat.FRONT_HITS);
            long misses = s.get(Stat.FRONT_MISSES);
            assertThat(hits + misses).isEqualTo(s.get(Stat.ALLOCATIONS));
            assertThat(hits).as("hit rate").isGreaterThan(9 * misses);
            assertThat(s.get(Stat.FRONT_REFILLS)).isEqualTo(misses);
        }
    }

    @Test
    void a_front_cache_that_overflows_flushes_back_to_its_slabs() {
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.FC_CAP, 8).with(Knob.FC_REFILL, 4))) {
            long[] blocks = new long[100];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = a.allocate(64);
            }
            for (long p : blocks) {
                a.free(p);
            }
            assertThat(a.stats().get(Stat.FRONT_FLUSHES)).isGreaterThanOrEqualTo((100 - 8) / 4);
        }
    }

    @Test
    void front_direct_off_and_a_zero_capacity_leave_the_front_cache_unused() {
        for (Knobs k : new Knobs[] {Knobs.defaults().with(Knob.TINY_FRONT_DIRECT, false), Knobs.defaults().with(Knob.FC_CAP, 0)}) {
            try (SuperSlabAllocator a = new SuperSlabAllocator(k)) {
                churn(a, 20_000, 512);
                StatsSnapshot s = a.stats();
                assertThat(s.get(Stat.FRONT_HITS) + s.get(Stat.FRONT_MISSES) + s.get(Stat.FRONT_FLUSHES)).isZero();
                assertThat(s.get(Stat.ALLOCATIONS)).isEqualTo(s.get(Stat.FREES));
            }
        }
    }

    @Test
    void auto_validation_means_registry_and_costs_no_mincore() {
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults())) {
            assertThat(a.validationMode()).isEqualTo(ValidationMode.REGISTRY);
            churn(a, 20_000, 512);
            assertThat(a.stats().get(Stat.SYSCALL_MINCORE)).isZero();
        }
    }

    @Test
    void mincore_validation_pays_one_mincore_per_free() {
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.VALIDATION, "MINCORE"))) {
            churn(a, 20_000, 512);
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.SYSCALL_MINCORE)).isEqualTo(s.get(Stat.FREES));
        }
    }

    @Test
    void mincore_cached_validation_pays_mincore_only_on_cache_misses() {
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.VALIDATION, "MINCORE_CACHED"))) {
            churn(a, 20_000, 512);
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.MINCORE_CACHE_HITS) + s.get(Stat.MINCORE_CACHE_MISSES)).isEqualTo(s.get(Stat.FREES));
            assertThat(s.get(Stat.SYSCALL_MINCORE)).isEqualTo(s.get(Stat.MINCORE_CACHE_MISSES));
            assertThat(s.get(Stat.MINCORE_CACHE_HITS)).isGreaterThan(s.get(Stat.MINCORE_CACHE_MISSES));
        }
    }
}
