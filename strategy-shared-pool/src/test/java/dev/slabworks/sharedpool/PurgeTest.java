package dev.slabworks.sharedpool;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Purging free slabs, and what stays mapped once a workload has freed everything. */
class PurgeTest {
    private static final int LRU = 2;

    private static Knobs knobs(int delayMs) {
        return Knobs.defaults().with(Knob.SS_SIZE, "256KiB").with(Knob.SS_LRU_SIZE, String.valueOf(LRU))
                .with(Knob.PURGE_DELAY_MS, String.valueOf(delayMs));
    }

    /** Many SuperSlabs' worth of blocks of every class, then everything freed. */
    private static void workloadThatFreesEverything(SharedPoolAllocator a) {
        SplittableRandom rnd = new SplittableRandom(42);
        long[] blocks = new long[20_000];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = a.allocate(rnd.nextInt(0, 4097));
        }
        for (int i = 0; i < blocks.length; i++) {
            a.free(blocks[i]);
        }
        assertThat(a.stats().get(Stat.SUPERSLABS_PEAK)).isGreaterThan(LRU + 4);
    }

    @Test
    void after_everything_is_freed_and_the_delay_passes_only_the_lru_stays_mapped_and_nothing_in_it_is_resident()
            throws InterruptedException {
        try (SharedPoolAllocator a = new SharedPoolAllocator(knobs(5))) {
            workloadThatFreesEverything(a);
            a.trim();
            Thread.sleep(20); // let the purge delay pass; what is asserted does not depend on timing beyond that
            a.trim();
            StatsSnapshot s = a.stats();
            assertThat(a.pool().superSlabsMapped()).isEqualTo(a.pool().lruSize()).isLessThanOrEqualTo(LRU);
            long lruWorth = a.superSlabs().stream().mapToLong(ss -> ss.mapping().reservedSize()).sum();
            assertThat(s.get(Stat.MAPPED_BYTES)).isEqualTo(lruWorth);
            assertThat(s.get(Stat.SUPERSLABS)).isEqualTo(a.pool().lruSize());
            for (SharedSuperSlab ss : a.superSlabs()) {
                for (SlabSlot slot : ss.slots) {
                    assertThat(slot.state).isEqualTo(SlabSlot.UNUSED); // in the LRU: emptied whole
                    assertThat(slot.purged).as("%s purged", slot).isTrue();
                }
            }
            assertThat(s.get(Stat.SLABS_RETURNED)).isEqualTo(s.get(Stat.SLABS_ASSIGNED));
            assertThat(s.get(Stat.SLABS_PURGED)).isPositive();
            assertThat(s.get(Stat.SYSCALL_MADVISE)).isEqualTo(s.get(Stat.SLABS_PURGED));
        }
    }

    @Test
    void a_slot_that_changed_hands_does_not_hold_up_the_purges_queued_behind_it() throws InterruptedException {
        dev.slabworks.api.os.Os os = new dev.slabworks.api.os.Os();
        dev.slabworks.api.stats.Stats stats = new dev.slabworks.api.stats.Stats(os);
        dev.slabworks.api.stats.ThreadStats t = stats.registerThread();
        long delay = 3_600_000L * 1_000_000L; // one hour in ns; "now" is passed explicitly below
        SlabPool pool = new SlabPool(os, stats, new dev.slabworks.api.validate.RegionMap<dev.slabworks.api.Region>(64 << 10),
                256 << 10, 64 << 10, true, 1, 3_600_000, 3_600_000, dev.slabworks.api.os.Advice.DONTNEED);
        try {
            SlabSlot a = pool.assign(1, this, false, t);
            SlabSlot b = pool.assign(2, this, false, t);
            pool.assign(3, this, false, t); // keeps the SuperSlab out of the LRU
            pool.giveBack(a, t);
            assertThat(pool.assign(1, this, false, t)).isSameAs(a); // a changes hands: its queued purge is stale
            pool.giveBack(b, t);
            long afterB = System.nanoTime();
            Thread.sleep(2);
            pool.giveBack(a, t); // freed again, later than b
            assertThat(pool.purgeDue(afterB + delay, t)).isEqualTo(1);
            assertThat(b.purged).isTrue();
            assertThat(a.purged).isFalse();
            assertThat(pool.purgeDue(System.nanoTime() + delay, t)).isEqualTo(1);
            assertThat(a.purged).isTrue();
        } finally {
            pool.closeAll();
        }
    }

    @Test
    void a_slot_taken_back_within_the_delay_of_its_purge_counts_as_premature_and_doubles_the_delay() {
        dev.slabworks.api.os.Os os = new dev.slabworks.api.os.Os();
        dev.slabworks.api.stats.Stats stats = new dev.slabworks.api.stats.Stats(os);
        dev.slabworks.api.stats.ThreadStats t = stats.registerThread();
        long base = 600_000L * 1_000_000L; // ten minutes; "now" is passed explicitly below: they never pass
        SlabPool pool = new SlabPool(os, stats, new dev.slabworks.api.validate.RegionMap<dev.slabworks.api.Region>(64 << 10),
                256 << 10, 64 << 10, true, 1, 600_000, 4 * 600_000, dev.slabworks.api.os.Advice.DONTNEED);
        try {
            SlabSlot a = pool.assign(1, this, false, t);
            pool.assign(2, this, false, t); // keeps the SuperSlab out of the LRU
            pool.giveBack(a, t);
            assertThat(pool.purgeDue(System.nanoTime() + base, t)).isEqualTo(1);
            assertThat(pool.assign(1, this, false, t)).isSameAs(a); // taken back well within the delay of its purge
            assertThat(stats.snapshot().get(Stat.PURGES_PREMATURE)).isEqualTo(1);

            pool.giveBack(a, t);
            long freed = System.nanoTime();
            assertThat(pool.purgeDue(freed + base + base / 2, t)).as("the delay is twice the base now").isZero();
            assertThat(pool.purgeDue(freed + 2 * base + 1_000_000, t)).isEqualTo(1);
        } finally {
            pool.closeAll();
        }
    }

    @Test
    void purge_delay_zero_purges_each_slab_as_it_comes_back() {
        try (SharedPoolAllocator a = new SharedPoolAllocator(knobs(0))) {
            workloadThatFreesEverything(a);
            a.trim();
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.SLABS_PURGED)).isPositive();
            for (SharedSuperSlab ss : a.superSlabs()) {
                for (SlabSlot slot : ss.slots) {
                    assertThat(slot.purged).isTrue();
                }
            }
        }
    }

    @Test
    void purge_delay_minus_one_never_purges() throws InterruptedException {
        try (SharedPoolAllocator a = new SharedPoolAllocator(knobs(-1))) {
            workloadThatFreesEverything(a);
            a.trim();
            Thread.sleep(5);
            a.trim();
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.SLABS_PURGED)).isZero();
            assertThat(s.get(Stat.SYSCALL_MADVISE)).isZero();
            assertThat(a.pool().superSlabsMapped()).isLessThanOrEqualTo(LRU); // the LRU still bounds the mappings
        }
    }

    @Test
    void a_long_delay_keeps_recently_freed_slabs_unpurged() {
        try (SharedPoolAllocator a = new SharedPoolAllocator(knobs(3_600_000))) {
            workloadThatFreesEverything(a);
            a.trim();
            assertThat(a.stats().get(Stat.SLABS_PURGED)).isZero();
        }
    }

    @Test
    void a_purged_slab_is_reused_and_its_blocks_work() throws InterruptedException {
        try (SharedPoolAllocator a = new SharedPoolAllocator(knobs(0).with(Knob.PURGE_ADVICE, "FREE"))) {
            workloadThatFreesEverything(a);
            a.trim();
            long before = a.stats().get(Stat.SLABS_PURGED);
            assertThat(before).isPositive();
            long[] blocks = new long[5_000];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = a.allocate(100);
                dev.slabworks.testkit.contract.Patterns.fill(blocks[i], 100);
            }
            for (long b : blocks) {
                dev.slabworks.testkit.contract.Patterns.verify(b, 100);
                a.free(b);
            }
            assertThat(a.stats().get(Stat.LRU_HITS)).isPositive();
        }
    }
}
