package dev.slabworks.api.direct;

import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.KnobRegistry;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.api.stats.ThreadStats;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.slabworks.api.direct.DirectFixture.GRANULE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

class DirectMappingCacheTest {
    private static final long MIB = 1 << 20;

    @Test
    void a_freed_mapping_is_reused_by_the_next_allocate_without_a_syscall_or_a_new_descriptor() {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB)) {
            long p = f.allocate(100_000);
            DirectRegion region = f.regions.lookup(p);
            f.free(p);
            long mmaps = f.mmaps();
            long munmaps = f.munmaps();

            long q = f.allocate(100_000);

            assertThat(q).isEqualTo(p);
            assertThat(f.regions.lookup(q)).isSameAs(region);
            assertThat(region.isLive()).isTrue();
            assertThat(f.mmaps()).as("mmap").isEqualTo(mmaps);
            assertThat(f.munmaps()).as("munmap").isEqualTo(munmaps).isZero();
            assertThat(f.usableSize(q)).isEqualTo(2 * GRANULE);
            Memory.putByte(q + 100_000 - 1, (byte) 7); // still mapped and writable
            if (Stats.ENABLED) {
                assertThat(f.local.get(Stat.DIRECT_CACHE_HITS)).isEqualTo(1);
                assertThat(f.local.get(Stat.DIRECT_CACHE_MISSES)).isEqualTo(1);
                assertThat(f.local.get(Stat.DIRECT_ALLOCATIONS)).isEqualTo(2);
            }
            f.free(q);
        }
    }

    @Test
    void an_allocate_takes_the_smallest_cached_mapping_from_its_length_up_to_twice_it() {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB)) {
            long g4 = f.allocate(4 * GRANULE);
            long g3 = f.allocate(3 * GRANULE);
            long g6 = f.allocate(6 * GRANULE);
            f.free(g6);
            f.free(g4);
            f.free(g3);

            assertThat(f.allocate(2 * GRANULE + 1)).as("3 granules: exact").isEqualTo(g3);
            assertThat(f.allocate(3 * GRANULE)).as("3 granules: 4 is the smallest left within 2x").isEqualTo(g4);
            long mmaps = f.mmaps();
            long one = f.allocate(GRANULE); // 6 granules is more than twice 1: not reused
            assertThat(one).isNotEqualTo(g6);
            assertThat(f.mmaps()).isEqualTo(mmaps + 1);
            assertThat(f.allocate(5 * GRANULE)).as("5 granules fit in 6").isEqualTo(g6);
            assertThat(f.usableSize(g6)).isEqualTo(6 * GRANULE);
            assertThat(f.direct.cachedCount()).isZero();
        }
    }

    @Test
    void a_full_cache_unmaps_its_oldest_mapping_to_take_a_new_one() {
        try (DirectFixture f = new DirectFixture(2, 64 * MIB)) {
            long a = f.allocate(GRANULE);
            long b = f.allocate(GRANULE);
            long c = f.allocate(GRANULE);
            f.free(a);
            f.free(b);
            assertThat(f.munmaps()).isZero();

            f.free(c);

            assertThat(f.munmaps()).isEqualTo(1);
            assertThat(f.direct.cachedCount()).isEqualTo(2);
            assertThat(f.regions.lookup(a)).as("the oldest, a, was evicted").isNull();
            assertThat(f.regions.lookup(b)).isNotNull();
            assertThat(f.regions.lookup(c)).isNotNull();
            assertThat(f.os.mappedBytes()).isEqualTo(2 * GRANULE).isEqualTo(f.direct.cachedBytes());
        }
    }

    @Test
    void the_byte_bound_evicts_the_oldest_and_a_mapping_larger_than_it_is_unmapped_at_once() {
        try (DirectFixture f = new DirectFixture(16, 4 * GRANULE)) {
            long a = f.allocate(2 * GRANULE);
            long b = f.allocate(2 * GRANULE);
            long c = f.allocate(2 * GRANULE);
            long huge = f.allocate(5 * GRANULE);
            f.free(a);
            f.free(b);
            assertThat(f.direct.cachedBytes()).isEqualTo(4 * GRANULE);

            f.free(c);
            assertThat(f.regions.lookup(a)).as("a evicted to make room for c").isNull();
            assertThat(f.direct.cachedCount()).isEqualTo(2);
            assertThat(f.direct.cachedBytes()).isEqualTo(4 * GRANULE);

            f.free(huge);
            assertThat(f.regions.lookup(huge)).as("above the byte bound: unmapped at once").isNull();
            assertThat(f.munmaps()).isEqualTo(2);
            assertThat(f.direct.cachedBytes()).isEqualTo(4 * GRANULE);
            assertThat(f.os.mappedBytes()).isEqualTo(4 * GRANULE);
        }
    }

    @Test
    void a_second_free_of_a_cached_block_is_a_double_free_and_changes_nothing() {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB)) {
            long p = f.allocate(3 * GRANULE);
            f.free(p);
            long mapped = f.os.mappedBytes();

            InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> f.free(p));
            InvalidFreeException u = catchThrowableOfType(InvalidFreeException.class, () -> f.usableSize(p));

            assertThat(e.kind()).isEqualTo(Kind.DOUBLE_FREE);
            assertThat(u.kind()).isEqualTo(Kind.DOUBLE_FREE);
            assertThat(f.direct.cachedCount()).isEqualTo(1);
            assertThat(f.os.mappedBytes()).isEqualTo(mapped);
            assertThat(f.munmaps()).isZero();
            if (Stats.ENABLED) {
                assertThat(f.local.get(Stat.INVALID_FREE_DOUBLE)).isEqualTo(2);
            }
            assertThat(f.allocate(3 * GRANULE)).as("the cached block is still reusable once").isEqualTo(p);
            assertThat(f.direct.cachedCount()).isZero();
            f.free(p);
        }
    }

    @Test
    void an_address_inside_a_live_or_a_cached_block_is_interior() {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB)) {
            long live = f.allocate(2 * GRANULE);
            long cached = f.allocate(2 * GRANULE);
            f.free(cached);

            for (long address : new long[] {live + 16, live + 2 * GRANULE - 16, cached + 16, cached + GRANULE}) {
                InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> f.free(address));
                assertThat(e.kind()).as("0x%x", address).isEqualTo(Kind.INTERIOR);
            }
            assertThat(f.regions.lookup(live).isLive()).isTrue();
            assertThat(f.direct.cachedCount()).isEqualTo(1);
            f.free(live);
        }
    }

    @Test
    void racing_frees_of_one_block_see_exactly_one_success() throws Exception {
        int threads = 3;
        try (DirectFixture f = new DirectFixture(4, 64 * MIB)) {
            List<ThreadStats> stats = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                stats.add(f.stats.registerThread());
            }
            for (int round = 0; round < 200; round++) {
                long p = f.allocate(GRANULE + 16L * round);
                CyclicBarrier start = new CyclicBarrier(threads);
                AtomicInteger successes = new AtomicInteger();
                AtomicInteger doubles = new AtomicInteger();
                AtomicReference<Throwable> other = new AtomicReference<>();
                List<Thread> running = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    ThreadStats st = stats.get(t);
                    running.add(Thread.ofPlatform().start(() -> {
                        try {
                            start.await();
                            f.free(p, st);
                            successes.incrementAndGet();
                        } catch (InvalidFreeException e) {
                            if (e.kind() == Kind.DOUBLE_FREE) {
                                doubles.incrementAndGet();
                            } else {
                                other.set(e);
                            }
                        } catch (Throwable e) {
                            other.set(e);
                        }
                    }));
                }
                for (Thread t : running) {
                    t.join();
                }
                assertThat(other.get()).isNull();
                assertThat(successes.get()).as("round %d", round).isEqualTo(1);
                assertThat(doubles.get()).as("round %d", round).isEqualTo(threads - 1);
            }
            assertThat(f.direct.liveCount()).isZero();
            assertThat(f.direct.cachedCount()).isBetween(1, 4);
        }
    }

    @Test
    void threads_reusing_mappings_never_hold_the_same_block_at_once() throws Exception {
        int threads = 4;
        try (DirectFixture f = new DirectFixture(3, 64 * MIB)) {
            CyclicBarrier start = new CyclicBarrier(threads);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long mark = 0x1000L + t;
                running.add(Thread.ofPlatform().start(() -> {
                    ThreadStats st = f.stats.registerThread();
                    try {
                        start.await();
                        for (int i = 0; i < 2_000; i++) {
                            long size = GRANULE * (1 + (i + mark) % 3);
                            long p = f.direct.allocate(size, st);
                            Memory.putLong(p, mark);
                            Memory.putLong(p + size - 8, mark);
                            Thread.onSpinWait();
                            if (Memory.getLong(p) != mark || Memory.getLong(p + size - 8) != mark) {
                                throw new AssertionError("block 0x" + Long.toHexString(p) + " handed to two threads");
                            }
                            f.free(p, st);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : running) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(f.direct.liveCount()).isZero();
            assertThat(f.direct.cachedCount()).isBetween(1, 3);
            assertThat(f.os.mappedBytes()).isEqualTo(f.direct.cachedBytes());
            StatsSnapshot s = f.stats.snapshot();
            if (Stats.ENABLED) {
                assertThat(s.get(Stat.DIRECT_CACHE_HITS) + s.get(Stat.DIRECT_CACHE_MISSES)).isEqualTo(threads * 2_000L);
                assertThat(s.get(Stat.DIRECT_CACHE_HITS)).as("hits").isPositive();
                assertThat(s.get(Stat.SYSCALL_MMAP)).isGreaterThanOrEqualTo(s.get(Stat.DIRECT_CACHE_MISSES));
            }
        }
    }

    @Test
    void trim_unmaps_every_cached_mapping_and_leaves_live_blocks_alone() {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB)) {
            long live = f.allocate(GRANULE);
            Memory.putLong(live, 42);
            for (int i = 1; i <= 5; i++) {
                f.free(f.allocate(i * GRANULE * 3));
            }
            assertThat(f.direct.cachedCount()).isEqualTo(5);

            assertThat(f.direct.trim()).isEqualTo(5);

            assertThat(f.direct.cachedCount()).isZero();
            assertThat(f.direct.cachedBytes()).isZero();
            assertThat(f.os.mappedBytes()).isEqualTo(GRANULE);
            assertThat(f.munmaps()).isEqualTo(5);
            assertThat(Memory.getLong(live)).isEqualTo(42);
            f.free(live);
            assertThat(f.direct.trim()).isEqualTo(1);
            assertThat(f.os.mappedBytes()).isZero();
            assertThat(f.mmaps()).isEqualTo(f.munmaps());
            assertThat(f.regions.size()).isZero();
        }
    }

    @Test
    void close_all_unmaps_cached_and_live_mappings() {
        DirectFixture f = new DirectFixture(16, 64 * MIB);
        long live = f.allocate(5 * GRANULE);
        f.allocate(GRANULE);
        f.free(f.allocate(2 * GRANULE));
        f.free(live);
        f.allocate(7 * GRANULE);

        f.direct.closeAll();

        assertThat(f.os.mappedBytes()).isZero();
        assertThat(f.os.mappingsLive()).isZero();
        assertThat(f.mmaps()).isEqualTo(f.munmaps()).isEqualTo(4);
        assertThat(f.regions.size()).isZero();
        assertThat(f.direct.cachedCount()).isZero();
        assertThat(f.direct.liveCount()).isZero();
    }

    @Test
    void a_cache_of_zero_mappings_or_zero_bytes_unmaps_every_block_as_it_is_freed() {
        for (DirectFixture f : new DirectFixture[] {new DirectFixture(0, 64 * MIB), new DirectFixture(16, 0)}) {
            try (f) {
                long p = f.allocate(GRANULE);
                f.free(p);
                assertThat(f.munmaps()).isEqualTo(1);
                assertThat(f.os.mappedBytes()).isZero();
                assertThat(f.regions.lookup(p)).isNull();
                long q = f.allocate(GRANULE);
                assertThat(f.mmaps()).isEqualTo(2);
                f.free(q);
                assertThat(f.direct.cachedCount()).isZero();
                assertThat(f.local.get(Stat.DIRECT_CACHE_HITS) + f.local.get(Stat.DIRECT_CACHE_MISSES)).isZero();
            }
        }
    }

    @Test
    void the_old_constructor_keeps_no_cache() {
        DirectFixture f = new DirectFixture(16, 64 * MIB);
        DirectMappings old = new DirectMappings(f.os, f.regions);
        long p = old.allocate(GRANULE, f.local);
        old.free(f.regions.lookup(p), p, f.local);
        assertThat(f.munmaps()).isEqualTo(1);
        assertThat(old.cachedCount()).isZero();
        old.closeAll();
    }

    @Test
    void the_count_and_the_bytes_both_bound_the_cache() {
        assertThat(Knobs.defaults().intValue(Knob.DIRECT_CACHE_COUNT)).isEqualTo(16);
        assertThat(Knobs.defaults().longValue(Knob.DIRECT_CACHE_BYTES)).isEqualTo(64 * MIB);
        assertThat(KnobRegistry.API.byName("SLABWORKS_DIRECT_CACHE_COUNT")).isEqualTo(Knob.DIRECT_CACHE_COUNT);
        assertThat(KnobRegistry.API.byName("SLABWORKS_DIRECT_CACHE_BYTES")).isEqualTo(Knob.DIRECT_CACHE_BYTES);

        DirectFixture f = new DirectFixture(0, 0);
        DirectMappings d = new DirectMappings(f.os, f.regions, 3, 256 << 10, 0);
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            blocks.add(d.allocate(GRANULE, f.local));
        }
        blocks.forEach(p -> d.free(f.regions.lookup(p), p, f.local));
        assertThat(d.cachedCount()).isEqualTo(3);
        long big = d.allocate(3 * GRANULE, f.local);
        d.free(f.regions.lookup(big), big, f.local);
        assertThat(d.cachedBytes()).isEqualTo(4 * GRANULE);
        d.closeAll();
        assertThat(f.os.mappedBytes()).isZero();
    }

    @Test
    void the_reuse_path_allocates_nothing_on_the_java_heap() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeThat(threads).isInstanceOf(com.sun.management.ThreadMXBean.class);
        var bean = (com.sun.management.ThreadMXBean) threads;
        assumeThat(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()).isTrue();
        try (DirectFixture f = new DirectFixture(16, 64 * MIB)) {
            long p = f.allocate(GRANULE);
            DirectRegion region = f.regions.lookup(p);
            f.free(p);
            int pairs = 20_000;
            for (int i = 0; i < pairs; i++) { // warm-up: the same loop, so the measured one runs compiled code
                f.direct.free(region, f.direct.allocate(GRANULE, f.local), f.local);
            }
            // The fewest bytes of a few rounds: a round during which the JIT was still compiling or
            // recompiling (the test JVM runs other tests and its compiler threads share 2 CPUs) runs
            // interpreted code that allocates; a path that allocates when compiled fails every round.
            long fewest = Long.MAX_VALUE;
            for (int round = 0; round < 5 && fewest >= pairs / 10; round++) {
                long before = bean.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < pairs; i++) {
                    f.direct.free(region, f.direct.allocate(GRANULE, f.local), f.local);
                }
                fewest = Math.min(fewest, bean.getCurrentThreadAllocatedBytes() - before);
            }

            assertThat(fewest).as("Java heap bytes for %d allocate/free pairs (fewest of up to 5 rounds)", pairs)
                    .isLessThan(pairs / 10);
            assertThat(f.mmaps()).isEqualTo(1);
        }
    }
}
