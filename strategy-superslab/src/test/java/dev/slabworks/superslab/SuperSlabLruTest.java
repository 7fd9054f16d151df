package dev.slabworks.superslab;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.testkit.contract.StandardError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LRU of empty SuperSlabs and prewarm. A 32 KiB block fills a 64 KiB SuperSlab by itself
 * (capacity 1), so each such block is one SuperSlab and each free of one empties it. The front cache
 * is off so that a free reaches the slab at once.
 */
class SuperSlabLruTest {
    private static final long BIG = SizeClasses.MAX_SIZE;

    /** A fixed room of {@code lruSize} ({@code ss.lru.max} 0): the adaptive room has its own tests. */
    private static SuperSlabAllocator allocator(int lruSize, int prewarm) {
        return new SuperSlabAllocator(Knobs.defaults().with(Knob.SS_SIZE, "64K").with(Knob.FC_CAP, 0)
                .with(Knob.SS_LRU_SIZE, lruSize).with(SuperSlabKnobs.SS_LRU_MAX, 0).with(Knob.SS_PREWARM, prewarm));
    }

    @Test
    void a_32k_block_fills_a_64k_superslab_by_itself() {
        assertThat(SuperSlab.capacity(64 << 10, SizeClasses.classOf(BIG))).isEqualTo(1);
    }

    /**
     * Allocates {@code n + 1} 32 KiB blocks (one SuperSlab each) and frees the first {@code n}: the last
     * SuperSlab is its class's current one and stays; the {@code n} before it empty and are released.
     */
    private record Filled(long[] blocks, long[] bases, StatsSnapshot beforeFrees) {
    }

    private static Filled fillAndFreeAllButLast(SuperSlabAllocator a, int n) {
        long[] blocks = new long[n + 1];
        for (int i = 0; i <= n; i++) {
            blocks[i] = a.allocate(BIG);
        }
        long[] bases = new long[n];
        for (int i = 0; i < n; i++) {
            bases[i] = a.superSlabOf(blocks[i]).base();
        }
        StatsSnapshot full = a.stats();
        for (int i = 0; i < n; i++) {
            a.free(blocks[i]);
        }
        return new Filled(blocks, bases, full);
    }

    @Test
    void with_lru_size_0_every_superslab_that_empties_is_unmapped_at_once() {
        try (SuperSlabAllocator a = allocator(0, 0)) {
            Filled f = fillAndFreeAllButLast(a, 5);
            StatsSnapshot full = f.beforeFrees();
            long[] blocks = f.blocks();
            assertThat(full.get(Stat.SUPERSLABS)).isEqualTo(6);
            assertThat(full.get(Stat.LRU_MISSES)).isEqualTo(6);
            StatsSnapshot empty = a.stats();
            assertThat(empty.since(full, Stat.SYSCALL_MUNMAP)).as("one munmap per emptied SuperSlab").isEqualTo(5);
            assertThat(empty.get(Stat.SUPERSLABS)).as("the current one stays").isEqualTo(1);
            assertThat(empty.get(Stat.SUPERSLABS_PEAK)).isEqualTo(6);
            assertThat(a.lruLength()).isZero();
            // the owner's table of its SuperSlabs forgot them too: a stale free is foreign, not a crash
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                    dev.slabworks.api.InvalidFreeException.class, () -> a.free(blocks[0])).kind())
                    .isEqualTo(dev.slabworks.api.InvalidFreeException.Kind.FOREIGN);
            // and the churn goes on: the next allocation maps again, and its predecessor empties
            long p = a.allocate(BIG);
            StatsSnapshot again = a.stats();
            assertThat(again.get(Stat.LRU_MISSES)).isEqualTo(7);
            a.free(blocks[5]);
            assertThat(a.stats().since(again, Stat.SYSCALL_MUNMAP)).isEqualTo(1);
            a.free(p);
        }
    }

    @Test
    void the_current_superslab_of_a_class_is_kept_when_it_empties() {
        try (SuperSlabAllocator a = allocator(0, 0)) {
            long p = a.allocate(100);
            SuperSlab ss = a.superSlabOf(p);
            a.free(p);
            assertThat(a.stats().get(Stat.SUPERSLABS)).isEqualTo(1);
            assertThat(a.superSlabOf(a.allocate(100))).isSameAs(ss);
            assertThat(a.stats().get(Stat.LRU_MISSES)).isEqualTo(1);
        }
    }

    @Test
    void the_lru_keeps_at_most_its_size_evicts_the_oldest_and_serves_hits_without_mmap() {
        try (SuperSlabAllocator a = allocator(2, 0)) {
            Filled f = fillAndFreeAllButLast(a, 5);
            long[] bases = f.bases();
            StatsSnapshot full = f.beforeFrees();
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.LRU_EVICTIONS)).isEqualTo(3);
            assertThat(a.lruLength()).isEqualTo(2);
            assertThat(s.get(Stat.SUPERSLABS)).isEqualTo(3);
            assertThat(s.since(full, Stat.SYSCALL_MUNMAP)).isEqualTo(3);
            // the two most recently emptied are kept; the most recent comes back first
            long mmapBefore = s.get(Stat.SYSCALL_MMAP);
            long p = a.allocate(BIG);
            assertThat(p & -(64L << 10)).isEqualTo(bases[4]);
            long q = a.allocate(BIG);
            assertThat(q & -(64L << 10)).isEqualTo(bases[3]);
            StatsSnapshot after = a.stats();
            assertThat(after.get(Stat.LRU_HITS)).isEqualTo(2);
            assertThat(after.get(Stat.SYSCALL_MMAP)).as("hits map nothing").isEqualTo(mmapBefore);
            a.allocate(BIG);
            assertThat(a.stats().get(Stat.LRU_MISSES)).isEqualTo(7);
        }
    }

    @Test
    void an_empty_superslab_from_the_lru_is_reformatted_for_whatever_class_asks_next() {
        try (SuperSlabAllocator a = allocator(4, 0)) {
            long big = a.allocate(BIG);
            SuperSlab ss = a.superSlabOf(big);
            a.allocate(BIG); // the next one becomes current, so the first can be released
            a.free(big);
            assertThat(a.lruLength()).isEqualTo(1);
            long small = a.allocate(100);
            assertThat(a.superSlabOf(small)).isSameAs(ss);
            assertThat(ss.slab().sizeClass()).isEqualTo(SizeClasses.classOf(100));
            assertThat(ss.formats()).isEqualTo(2);
            assertThat(Memory.getInt(ss.base() + SuperSlab.CLASS_OFFSET)).isEqualTo(SizeClasses.classOf(100));
            assertThat(a.stats().get(Stat.LRU_HITS)).isEqualTo(1);
            a.free(small);
        }
    }

    @Test
    void prewarm_maps_ahead_and_the_first_superslabs_taken_are_hits() {
        try (SuperSlabAllocator a = allocator(16, 3)) {
            StatsSnapshot start = a.stats();
            assertThat(start.get(Stat.PREWARMED)).isEqualTo(3);
            assertThat(start.get(Stat.SUPERSLABS)).isEqualTo(3);
            assertThat(start.get(Stat.SYSCALL_MMAP)).isGreaterThanOrEqualTo(3);
            assertThat(a.lruLength()).isEqualTo(3);
            for (int cls = 0; cls < 3; cls++) {
                a.allocate(SizeClasses.size(cls));
            }
            StatsSnapshot warm = a.stats();
            assertThat(warm.get(Stat.LRU_HITS)).isEqualTo(3);
            assertThat(warm.get(Stat.LRU_MISSES)).isZero();
            assertThat(warm.get(Stat.SYSCALL_MMAP)).as("no mmap while prewarmed SuperSlabs last").isEqualTo(start.get(Stat.SYSCALL_MMAP));
            a.allocate(SizeClasses.size(3));
            assertThat(a.stats().get(Stat.LRU_MISSES)).isEqualTo(1);
        }
    }

    @Test
    void prewarmed_superslabs_wait_in_the_lru_even_when_its_size_is_0() {
        try (SuperSlabAllocator a = allocator(0, 3)) {
            long p = a.allocate(BIG);
            a.allocate(BIG);
            assertThat(a.stats().get(Stat.LRU_HITS)).isEqualTo(2);
            a.free(p);
            assertThat(a.lruLength()).as("the emptied one is unmapped, the unused prewarmed one stays").isEqualTo(1);
            assertThat(a.stats().get(Stat.SUPERSLABS)).isEqualTo(2);
        }
    }

    @Test
    void the_debug_switches_report_lru_prewarm_and_front_cache_figures_on_close() {
        String report = StandardError.during(() -> {
            SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.SS_LRU_DEBUG, true)
                    .with(Knob.SS_PREWARM_DEBUG, true).with(Knob.FRONT_STATS, true).with(Knob.SS_PREWARM, 2));
            a.free(a.allocate(64));
            a.close();
        });
        assertThat(report).contains("LRU (size 16): hits 1, misses 0").contains("evictions 0")
                .contains("prewarm: 2 SuperSlabs").contains("1 used, 1 never used")
                .contains("front cache (cap 256, refill 32, front-direct true): hits 0, misses 1");
    }

    @Test
    void a_heap_goes_back_to_a_partly_free_superslab_unless_partial_reuse_is_off() {
        for (boolean reuse : new boolean[] {true, false}) {
            try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.SS_SIZE, "64K")
                    .with(Knob.FC_CAP, 0).with(Knob.SS_PREWARM, 0).with(SuperSlabKnobs.SS_REUSE_PARTIAL, reuse))) {
                int capacity = SuperSlab.capacity(64 << 10, SizeClasses.classOf(1024));
                long[] first = new long[capacity];
                for (int i = 0; i < capacity; i++) {
                    first[i] = a.allocate(1024);
                }
                for (int i = 0; i < capacity; i++) {
                    a.allocate(1024); // a second SuperSlab, filled
                }
                a.free(first[0]); // the first one has a free block again
                long next = a.allocate(1024);
                if (reuse) {
                    assertThat(next).isEqualTo(first[0]);
                    assertThat(a.stats().get(Stat.SUPERSLABS)).isEqualTo(2);
                } else {
                    assertThat(a.superSlabOf(next)).isNotSameAs(a.superSlabOf(first[0]));
                    assertThat(a.stats().get(Stat.SUPERSLABS)).isEqualTo(3);
                }
            }
        }
    }

    @Test
    void without_partial_reuse_and_lru_a_steady_workload_churns_and_the_lru_absorbs_it() {
        long[] munmaps = new long[2];
        long[] superSlabsMapped = new long[2];
        int[] lruSizes = {0, 16};
        for (int k = 0; k < 2; k++) {
            try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.SS_SIZE, "64K")
                    .with(Knob.TINY_FRONT_DIRECT, false).with(Knob.SS_PREWARM, 0)
                    .with(SuperSlabKnobs.SS_REUSE_PARTIAL, false).with(Knob.SS_LRU_SIZE, lruSizes[k]))) {
                long[] slots = new long[256];
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(99);
                for (int i = 0; i < 40_000; i++) {
                    int slot = rnd.nextInt(slots.length);
                    if (slots[slot] != 0) {
                        a.free(slots[slot]);
                        slots[slot] = 0;
                    } else {
                        slots[slot] = a.allocate(1024);
                    }
                }
                StatsSnapshot s = a.stats();
                munmaps[k] = s.get(Stat.SYSCALL_MUNMAP);
                superSlabsMapped[k] = s.get(Stat.LRU_MISSES);
                if (lruSizes[k] > 0) {
                    assertThat(s.get(Stat.LRU_HITS)).isGreaterThan(s.get(Stat.LRU_MISSES));
                }
            }
        }
        assertThat(munmaps[0]).as("munmap without LRU").isGreaterThan(100);
        assertThat(superSlabsMapped[1]).as("SuperSlabs mapped with an LRU of 16").isLessThan(superSlabsMapped[0] / 10);
        assertThat(munmaps[1]).as("munmap with an LRU of 16").isLessThan(munmaps[0]);
    }
}
