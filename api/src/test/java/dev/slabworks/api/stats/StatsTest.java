package dev.slabworks.api.stats;

import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.Syscall;
import dev.slabworks.api.os.SyscallCause;
import dev.slabworks.api.sizeclass.SizeClasses;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsTest {
    private final Os os = new Os();
    private final Stats stats = new Stats(os);

    @Test
    void counters_of_many_threads_are_merged_on_snapshot() throws Exception {
        int threads = 4;
        int perThread = 100_000;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                ThreadStats mine = stats.registerThread();
                for (int i = 0; i < perThread; i++) {
                    mine.allocated(32);
                    mine.increment(Stat.FRONT_HITS);
                    if (i % 2 == 0) {
                        mine.freed(32);
                    }
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        StatsSnapshot s = stats.snapshot();
        assertThat(s.get(Stat.ALLOCATIONS)).isEqualTo((long) threads * perThread);
        assertThat(s.get(Stat.FREES)).isEqualTo((long) threads * perThread / 2);
        assertThat(s.get(Stat.FRONT_HITS)).isEqualTo((long) threads * perThread);
        assertThat(s.get(Stat.LIVE_BYTES)).isEqualTo(32L * threads * perThread / 2);
    }

    @Test
    void every_thread_stat_reads_back_what_was_added_wherever_it_is_kept() {
        ThreadStats t = stats.registerThread();
        for (Stat stat : Stat.values()) {
            if (stat.source() == Stat.Source.THREAD) {
                t.add(stat, stat.ordinal() + 10);
                t.increment(stat);
            }
        }
        StatsSnapshot s = stats.snapshot();
        for (Stat stat : Stat.values()) {
            if (stat.source() == Stat.Source.THREAD) {
                assertThat(t.get(stat)).as("%s", stat).isEqualTo(stat.ordinal() + 11);
                assertThat(s.get(stat)).as("%s", stat).isEqualTo(stat.ordinal() + 11);
            }
        }
    }

    @Test
    void live_bytes_peak_is_within_one_publish_step_per_thread_of_the_true_peak() {
        ThreadStats t = stats.registerThread();
        for (int i = 0; i < 10_000; i++) {
            t.allocated(100);
        }
        for (int i = 0; i < 10_000; i++) {
            t.freed(100);
        }
        StatsSnapshot s = stats.snapshot();
        assertThat(s.get(Stat.LIVE_BYTES)).isZero();
        assertThat(s.get(Stat.LIVE_BYTES_PEAK)).isBetween(1_000_000 - ThreadStats.LIVE_PUBLISH_STEP, 1_000_000L);
    }

    @Test
    void a_front_hit_allocation_counts_as_an_allocation_and_a_front_hit() {
        ThreadStats t = stats.registerThread();
        t.allocatedBlockFrontHit(SizeClasses.classOf(48));
        t.allocatedBlockFrontHit(SizeClasses.classOf(48));
        t.allocatedBlock(SizeClasses.classOf(16));
        t.frontHit();
        t.freedBlock(SizeClasses.classOf(48));
        StatsSnapshot s = stats.snapshot();
        assertThat(s.get(Stat.ALLOCATIONS)).isEqualTo(3);
        assertThat(s.get(Stat.BYTES_ALLOCATED)).isEqualTo(112);
        assertThat(s.get(Stat.FRONT_HITS)).isEqualTo(3);
        assertThat(s.get(Stat.FREES)).isEqualTo(1);
        assertThat(s.get(Stat.BYTES_FREED)).isEqualTo(48);
        assertThat(s.get(Stat.LIVE_BYTES)).isEqualTo(64);
        assertThat(t.get(Stat.ALLOCATIONS)).isEqualTo(3);
        assertThat(t.get(Stat.FRONT_HITS)).isEqualTo(3);
    }

    @Test
    void blocks_counted_by_class_add_up_to_the_bytes_of_their_classes_beside_byte_counted_blocks() {
        ThreadStats t = stats.registerThread();
        long bytes = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            for (int i = 0; i <= c; i++) {
                t.allocatedBlock(c);
                bytes += SizeClasses.size(c);
            }
            t.freedBlock(c);
            bytes -= SizeClasses.size(c);
        }
        t.allocated(100_000);
        StatsSnapshot s = stats.snapshot();
        long blocks = (long) SizeClasses.COUNT * (SizeClasses.COUNT + 1) / 2;
        assertThat(s.get(Stat.ALLOCATIONS)).isEqualTo(blocks + 1);
        assertThat(s.get(Stat.FREES)).isEqualTo(SizeClasses.COUNT);
        assertThat(s.get(Stat.LIVE_BYTES)).isEqualTo(bytes + 100_000);
        assertThat(s.get(Stat.BYTES_ALLOCATED) - s.get(Stat.BYTES_FREED)).isEqualTo(bytes + 100_000);
    }

    @Test
    void blocks_whose_bytes_count_at_once_and_counts_in_batches_add_up_like_blocks_counted_one_by_one() {
        ThreadStats one = stats.registerThread();
        Stats split = new Stats(os);
        ThreadStats t = split.registerThread();
        int small = SizeClasses.classOf(48);
        int large = SizeClasses.classOf(1024);
        for (int i = 0; i < 7; i++) {
            one.allocatedBlock(small);
            t.allocatedBlockBytes(SizeClasses.size(small));
        }
        for (int i = 0; i < 3; i++) {
            one.allocatedBlock(large);
            one.freedBlock(large);
            t.allocatedBlockBytes(SizeClasses.size(large));
            t.freedBlockBytes(SizeClasses.size(large));
        }
        one.freedBlock(small);
        t.freedBlockBytes(SizeClasses.size(small));
        t.allocatedBlocks(10);
        t.freedBlocks(4);
        StatsSnapshot expected = stats.snapshot();
        StatsSnapshot actual = split.snapshot();
        for (Stat stat : List.of(Stat.ALLOCATIONS, Stat.FREES, Stat.BYTES_ALLOCATED, Stat.BYTES_FREED, Stat.LIVE_BYTES)) {
            assertThat(actual.get(stat)).as(stat.name()).isEqualTo(expected.get(stat));
        }
        assertThat(actual.get(Stat.LIVE_BYTES)).isEqualTo(6L * SizeClasses.size(small));
    }

    @Test
    void a_row_whose_block_counts_lag_still_gives_the_peak_exact_live_bytes() {
        ThreadStats churn = stats.registerThread(); // allocates and frees a million blocks, counts none yet
        ThreadStats grower = stats.registerThread();
        for (int i = 0; i < 1_000_000; i++) {
            churn.allocatedBlockBytes(1024);
            churn.freedBlockBytes(1024);
        }
        int cls = SizeClasses.classOf(1024);
        for (int i = 0; i < 4096; i++) {
            grower.allocatedBlock(cls);
        }
        grower.sampleLive();
        for (int i = 0; i < 4096; i++) {
            grower.freedBlock(cls);
        }
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES)).isZero();
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PEAK)).isEqualTo(4096 * 1024L); // the sample's, not now's
        assertThat(stats.snapshot().get(Stat.ALLOCATIONS)).isEqualTo(4096);
        churn.allocatedBlocks(1_000_000);
        churn.freedBlocks(1_000_000);
        assertThat(stats.snapshot().get(Stat.ALLOCATIONS)).isEqualTo(1_004_096);
        assertThat(stats.snapshot().get(Stat.FREES)).isEqualTo(1_004_096);
    }

    @Test
    void what_a_snapshot_adds_to_its_extra_row_counts_in_that_snapshot_only() {
        ThreadStats t = stats.registerThread();
        for (int i = 0; i < 15; i++) {
            t.allocatedBlockBytes(64);
        }
        t.freedBlockBytes(64);
        t.allocatedBlocks(10);
        StatsSnapshot with = stats.snapshot(extra -> {
            extra.allocatedBlocks(5);
            extra.freedBlocks(1);
        });
        assertThat(with.get(Stat.ALLOCATIONS)).isEqualTo(15);
        assertThat(with.get(Stat.FREES)).isEqualTo(1);
        assertThat(with.get(Stat.LIVE_BYTES)).isEqualTo(14 * 64);
        StatsSnapshot without = stats.snapshot();
        assertThat(without.get(Stat.ALLOCATIONS)).isEqualTo(10);
        assertThat(without.get(Stat.FREES)).isZero();
        assertThat(without.get(Stat.LIVE_BYTES)).isEqualTo(14 * 64);
    }

    @Test
    void class_counted_live_bytes_reach_the_gauge_when_sampled_and_byte_counted_ones_at_once() {
        ThreadStats t = stats.registerThread();
        int cls = SizeClasses.classOf(64);
        long n = ThreadStats.LIVE_PUBLISH_STEP / 64;
        for (long i = 0; i < n; i++) {
            t.allocatedBlockFrontHit(cls);
        }
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).isZero();
        t.sampleLive();
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).isEqualTo(ThreadStats.LIVE_PUBLISH_STEP);
        for (long i = 0; i < n; i++) {
            t.freedBlock(cls);
        }
        t.sampleLive();
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).isZero();
        t.allocated(ThreadStats.LIVE_PUBLISH_STEP); // a byte-counted block samples by itself
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).isEqualTo(ThreadStats.LIVE_PUBLISH_STEP);
    }

    @Test
    void refills_sample_live_bytes_once_they_add_up_to_a_publish_step() {
        ThreadStats t = stats.registerThread();
        int cls = SizeClasses.classOf(64);
        long size = SizeClasses.size(cls);
        long perStep = ThreadStats.LIVE_PUBLISH_STEP / size;
        for (long i = 0; i < perStep; i++) {
            t.allocatedBlock(cls); // a step of live bytes, most of them served from what the cache held
        }
        t.refilled(size);
        t.refilled(ThreadStats.LIVE_PUBLISH_STEP - 2 * size);
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).as("refills short of a step do not sample").isZero();
        t.refilled(size);
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).as("the refill that completes the step does")
                .isEqualTo(perStep * size);
        for (long i = 0; i < perStep; i++) {
            t.allocatedBlock(cls);
        }
        t.refilled(size);
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).as("the count starts again after a sample")
                .isEqualTo(perStep * size);
    }

    @Test
    void a_large_block_allocated_and_freed_over_and_over_samples_once_and_a_large_drop_still_samples() {
        ThreadStats t = stats.registerThread();
        long block = ThreadStats.LIVE_PUBLISH_STEP;
        t.allocated(block);
        long published = stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED);
        assertThat(published).isEqualTo(block);
        for (int i = 0; i < 1000; i++) {
            t.freed(block);
            assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).as("a small drop does not sample").isEqualTo(block);
            t.allocated(block);
        }
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PEAK)).isEqualTo(block);
        t.allocated(ThreadStats.LIVE_DROP_STEP);
        t.freed(ThreadStats.LIVE_DROP_STEP);
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).as("a drop of exactly the bound does not sample")
                .isEqualTo(block + ThreadStats.LIVE_DROP_STEP);
        t.freed(block);
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).as("a drop beyond it does").isZero();
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PEAK)).isEqualTo(block + ThreadStats.LIVE_DROP_STEP);
    }

    @Test
    void a_pair_of_blocks_larger_than_the_drop_bound_samples_once_too() {
        ThreadStats t = stats.registerThread();
        long huge = 4 * ThreadStats.LIVE_DROP_STEP;
        t.allocated(huge);
        for (int i = 0; i < 100; i++) {
            t.freed(huge);
            t.allocated(huge);
        }
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).isEqualTo(huge);
        t.freed(huge);
        t.freed(ThreadStats.LIVE_PUBLISH_STEP); // a remote free of another thread's block: the drop passes the largest
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).isEqualTo(-ThreadStats.LIVE_PUBLISH_STEP);
        long block = ThreadStats.LIVE_PUBLISH_STEP;
        t.allocated(block); // a sample after smaller blocks: the bound comes back down
        long atSample = stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED);
        t.allocated(2 * ThreadStats.LIVE_DROP_STEP);
        t.freed(2 * ThreadStats.LIVE_DROP_STEP);
        t.allocated(block);
        t.freed(block);
        t.freed(ThreadStats.LIVE_DROP_STEP);
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).as("the huge block no longer holds the bound up")
                .isLessThan(atSample);
    }

    @Test
    void live_bytes_peak_of_class_counted_blocks_is_the_highest_sample() {
        ThreadStats t = stats.registerThread();
        int cls = SizeClasses.classOf(1024);
        for (int i = 1; i <= 10_000; i++) {
            t.allocatedBlock(cls);
            if (i % 100 == 0) {
                t.sampleLive(); // a slow path every 100 blocks
            }
        }
        for (int i = 0; i < 10_000; i++) {
            t.freedBlock(cls);
        }
        t.sampleLive();
        StatsSnapshot s = stats.snapshot();
        assertThat(s.get(Stat.LIVE_BYTES)).isZero();
        assertThat(s.get(Stat.LIVE_BYTES_PUBLISHED)).isZero();
        assertThat(s.get(Stat.LIVE_BYTES_PEAK)).isBetween(10_240_000 - ThreadStats.LIVE_PUBLISH_STEP, 10_240_000L);
    }

    @Test
    void live_bytes_peak_counts_blocks_freed_by_another_thread_as_freed() {
        ThreadStats producer = stats.registerThread();
        ThreadStats consumer = stats.registerThread(); // frees what the producer allocated, never samples
        int cls = SizeClasses.classOf(1024);
        for (int round = 0; round < 1000; round++) {
            for (int i = 0; i < 100; i++) {
                producer.allocatedBlock(cls);
            }
            producer.sampleLive(); // the producer's slow path
            for (int i = 0; i < 100; i++) {
                consumer.freedBlock(cls);
            }
        }
        StatsSnapshot s = stats.snapshot();
        assertThat(s.get(Stat.LIVE_BYTES)).isZero();
        // at most 100 blocks were ever live at once; the producer alone allocated 100,000
        assertThat(s.get(Stat.LIVE_BYTES_PEAK)).isLessThanOrEqualTo(100 * 1024L);
    }

    @Test
    void live_bytes_peak_is_the_sum_over_threads_when_they_all_hold_blocks() {
        ThreadStats a = stats.registerThread();
        ThreadStats b = stats.registerThread();
        int cls = SizeClasses.classOf(1024);
        for (int i = 0; i < 100; i++) {
            a.allocatedBlock(cls);
            b.allocatedBlock(cls);
        }
        a.sampleLive();
        b.sampleLive();
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PEAK)).isEqualTo(200 * 1024L);
    }

    @Test
    void gauges_keep_their_peak() {
        stats.gaugeAdd(Stat.SUPERSLABS, 3);
        stats.gaugeAdd(Stat.SUPERSLABS, -2);
        stats.gaugeAdd(Stat.SUPERSLABS, 1);
        StatsSnapshot s = stats.snapshot();
        assertThat(s.get(Stat.SUPERSLABS)).isEqualTo(2);
        assertThat(s.get(Stat.SUPERSLABS_PEAK)).isEqualTo(3);
    }

    @Test
    void the_snapshot_carries_what_the_os_layer_counted() {
        Mapping m = os.map(Os.PAGE_SIZE);
        os.isMapped(m.address());
        StatsSnapshot during = stats.snapshot();
        os.unmap(m);
        StatsSnapshot after = stats.snapshot();
        assertThat(during.get(Stat.SYSCALL_MMAP)).isEqualTo(1);
        assertThat(during.get(Stat.SYSCALL_MINCORE)).isEqualTo(1);
        assertThat(during.get(Stat.MAPPED_BYTES)).isEqualTo(Os.PAGE_SIZE);
        assertThat(after.get(Stat.MAPPED_BYTES)).isZero();
        assertThat(after.get(Stat.MAPPED_BYTES_PEAK)).isEqualTo(Os.PAGE_SIZE);
        assertThat(after.get(Stat.SYSCALL_MUNMAP)).isEqualTo(1);
        assertThat(after.get(Stat.SYSCALL_MMAP_NANOS)).isPositive();
        assertThat(after.asMap()).containsEntry("syscall_munmap", 1L).hasSize(Stat.values().length);
    }

    @Test
    void every_call_the_stats_keep_has_its_calls_row_and_its_nanoseconds_row() {
        for (Syscall call : Syscall.values()) {
            if (call == Syscall.GETRUSAGE) {
                assertThat(Stat.callsOf(call)).isNull();
                assertThat(Stat.nanosOf(call)).isNull();
            } else {
                assertThat(Stat.callsOf(call).key()).isEqualTo("syscall_" + call.cName());
                assertThat(Stat.nanosOf(call).key()).isEqualTo("syscall_" + call.cName() + "_nanos");
            }
        }
    }

    @Test
    void the_snapshot_counts_the_os_layers_barriers() {
        assumeTrue(Os.BARRIER_AVAILABLE, "membarrier is not available here");
        os.barrier();
        os.barrier();
        StatsSnapshot s = stats.snapshot();
        assertThat(s.get(Stat.SYSCALL_MEMBARRIER)).isEqualTo(2);
        assertThat(s.get(Stat.SYSCALL_MEMBARRIER_NANOS)).isPositive();
    }

    @Test
    void a_snapshot_since_an_earlier_one_counts_the_events_between_and_keeps_current_values_and_peaks() {
        ThreadStats t = stats.registerThread();
        Mapping kept = os.map(2 * Os.PAGE_SIZE);
        t.allocated(64);
        StatsSnapshot before = stats.snapshot();
        Mapping m = os.map(Os.PAGE_SIZE, SyscallCause.DIRECT);
        t.allocated(64);
        t.increment(Stat.FRONT_HITS);
        os.unmap(m);
        StatsSnapshot interval = stats.snapshot().since(before);

        assertThat(interval.get(Stat.SYSCALL_MMAP)).isEqualTo(1);
        assertThat(interval.get(Stat.SYSCALL_MUNMAP)).isEqualTo(1);
        assertThat(interval.get(Stat.ALLOCATIONS)).isEqualTo(1);
        assertThat(interval.get(Stat.FRONT_HITS)).isEqualTo(1);
        assertThat(interval.syscallsByCause().count(Syscall.MMAP, SyscallCause.DIRECT)).isEqualTo(1);
        assertThat(interval.syscallsByCause().count(Syscall.MMAP, SyscallCause.OTHER)).isZero();
        assertThat(interval.get(Stat.MAPPED_BYTES)).as("a current value, not a change").isEqualTo(2 * Os.PAGE_SIZE);
        assertThat(interval.get(Stat.MAPPED_BYTES_PEAK)).isEqualTo(3 * Os.PAGE_SIZE);
        assertThat(interval.get(Stat.MAPPINGS_LIVE)).isEqualTo(1);
        assertThat(interval.get(Stat.LIVE_BYTES)).isEqualTo(128);
        os.unmap(kept);
    }

    @Test
    void stats_are_on_unless_switched_off_for_the_jvm() {
        assertThat(Stats.ENABLED).isTrue();
    }

    @Test
    void a_retired_row_keeps_every_count_in_the_snapshot_and_leaves_the_rows() {
        ThreadStats t = stats.registerThread();
        for (Stat stat : Stat.values()) {
            if (stat.source() == Stat.Source.THREAD) {
                t.add(stat, stat.ordinal() + 3);
            }
        }
        t.allocatedBlock(1);
        t.allocatedBlockFrontHit(2);
        t.freedBlock(3);
        t.allocatedBlockBytes(40);
        t.allocatedBlocks(2);
        t.freedBlockBytes(24);
        t.freedBlocks(1);
        t.allocated(1 << 20);
        t.freed(4096);
        t.frontHit();
        t.mincoreCacheHit();
        ThreadStats other = stats.registerThread();
        other.allocatedBlock(5);
        int rows = stats.rows();
        StatsSnapshot before = stats.snapshot();

        t.retire();

        assertThat(stats.rows()).isEqualTo(rows - 1);
        StatsSnapshot after = stats.snapshot();
        for (Stat stat : Stat.values()) {
            if (stat.source() == Stat.Source.THREAD || stat == Stat.LIVE_BYTES) {
                assertThat(after.get(stat)).as("%s", stat).isEqualTo(before.get(stat));
            }
        }
        assertThatThrownBy(t::retire).isInstanceOf(IllegalStateException.class);
        assertThat(stats.rows()).isEqualTo(rows - 1);
    }

    @Test
    void the_live_bytes_peak_counts_the_blocks_of_a_retired_row() {
        ThreadStats ended = stats.registerThread();
        ended.allocated(1 << 20); // samples: 1 MiB live, published
        ended.retire();
        ThreadStats live = stats.registerThread();
        live.allocated(1 << 20); // samples: 2 MiB live, one of them in the retired row
        live.freed(1 << 20); // the ended thread's block; a drop of 1 MiB does not sample
        StatsSnapshot s = stats.snapshot();
        assertThat(s.get(Stat.LIVE_BYTES)).isEqualTo(1L << 20);
        assertThat(s.get(Stat.LIVE_BYTES_PEAK)).isEqualTo(2L << 20);
    }

}
