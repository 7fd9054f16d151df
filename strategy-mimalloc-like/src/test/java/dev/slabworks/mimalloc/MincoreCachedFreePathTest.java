package dev.slabworks.mimalloc;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.api.validate.ValidationMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's Phase B on the seed's own workload ({@code random-mixed 200000 4096 1234567}, docs/DESIGN.md
 * §17): MINCORE_CACHED, the default, makes at most one mincore per 100 frees, and once warm
 * the allocator maps and unmaps nothing. Counts only; nothing here is timed.
 */
class MincoreCachedFreePathTest {
    private static final long ITERATIONS = 200_000;
    private static final int SLOTS = 4096;
    private static final long SEED = 1234567;

    @Test
    void mincore_cached_is_the_default_mode() {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(Knobs.defaults())) {
            assertThat(a.validationMode()).isEqualTo(ValidationMode.MINCORE_CACHED);
        }
    }

    @Test
    void random_mixed_makes_at_most_one_mincore_per_100_frees_and_no_mapping_after_warm_up() {
        try (Allocator a = new MimallocLikeFactory().create(Knobs.defaults())) {
            RandomMixed run = new RandomMixed(SEED);
            run.iterate(a, ITERATIONS / 2); // warm-up
            StatsSnapshot warm = a.stats();
            run.iterate(a, ITERATIONS / 2);
            StatsSnapshot end = a.stats();
            run.freeAll(a);

            StatsSnapshot s = a.stats();
            long frees = s.get(Stat.FREES);
            assertThat(frees).isGreaterThan(ITERATIONS / 3);
            assertThat(s.get(Stat.SYSCALL_MINCORE) * 100).as("mincore calls * 100 vs frees").isLessThanOrEqualTo(frees);
            assertThat(s.get(Stat.MINCORE_CACHE_HITS) + s.get(Stat.MINCORE_CACHE_MISSES)).isEqualTo(frees);
            assertThat(end.get(Stat.SYSCALL_MMAP)).as("mmap after warm-up").isEqualTo(warm.get(Stat.SYSCALL_MMAP));
            assertThat(end.get(Stat.SYSCALL_MUNMAP)).as("munmap after warm-up").isEqualTo(warm.get(Stat.SYSCALL_MUNMAP));
        }
    }

    @Test
    void mincore_mode_pays_one_call_per_free_and_registry_none() {
        for (String mode : new String[] {"MINCORE", "REGISTRY"}) {
            try (Allocator a = new MimallocLikeFactory().create(Knobs.defaults().with(Knob.VALIDATION, mode))) {
                RandomMixed run = new RandomMixed(SEED);
                run.iterate(a, 20_000);
                run.freeAll(a);
                StatsSnapshot s = a.stats();
                long expected = mode.equals("MINCORE") ? s.get(Stat.FREES) : 0;
                assertThat(s.get(Stat.SYSCALL_MINCORE)).as(mode).isEqualTo(expected);
            }
        }
    }

    /** The random-mixed loop of docs/DESIGN.md §17 (sizes 16..1024), resumable. */
    private static final class RandomMixed {
        private final long[] slots = new long[SLOTS];
        private long state;

        RandomMixed(long seed) {
            this.state = seed;
        }

        private long next() {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        void iterate(Allocator a, long iterations) {
            for (long i = 0; i < iterations; i++) {
                int slot = (int) Long.remainderUnsigned(next(), SLOTS);
                if (slots[slot] != 0) {
                    a.free(slots[slot]);
                    slots[slot] = 0;
                } else {
                    long size = 16 + Long.remainderUnsigned(next(), 1024 - 16 + 1);
                    long p = a.allocate(size);
                    Memory.putByte(p, (byte) 1);
                    Memory.putByte(p + size - 1, (byte) 2);
                    slots[slot] = p;
                }
            }
        }

        void freeAll(Allocator a) {
            for (int i = 0; i < SLOTS; i++) {
                if (slots[i] != 0) {
                    a.free(slots[i]);
                    slots[i] = 0;
                }
            }
        }
    }
}
