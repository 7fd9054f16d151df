package dev.slabworks.api.stats;

import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
        t.allocatedFrontHit(48);
        t.allocatedFrontHit(48);
        t.allocated(16);
        t.frontHit();
        t.freed(48);
        StatsSnapshot s = stats.snapshot();
        assertThat(s.get(Stat.ALLOCATIONS)).isEqualTo(3);
        assertThat(s.get(Stat.BYTES_ALLOCATED)).isEqualTo(112);
        assertThat(s.get(Stat.FRONT_HITS)).isEqualTo(3);
        assertThat(s.get(Stat.LIVE_BYTES)).isEqualTo(64);
        assertThat(t.get(Stat.ALLOCATIONS)).isEqualTo(3);
        assertThat(t.get(Stat.FRONT_HITS)).isEqualTo(3);
    }

    @Test
    void live_bytes_are_published_in_steps_whichever_counter_moved() {
        ThreadStats t = stats.registerThread();
        long n = ThreadStats.LIVE_PUBLISH_STEP / 64;
        for (long i = 0; i < n - 1; i++) {
            t.allocatedFrontHit(64);
        }
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).isZero();
        t.allocated(64);
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).isEqualTo(ThreadStats.LIVE_PUBLISH_STEP);
        for (long i = 0; i < n; i++) {
            t.freed(64);
        }
        assertThat(stats.snapshot().get(Stat.LIVE_BYTES_PUBLISHED)).isZero();
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
    void stats_are_on_unless_switched_off_for_the_jvm() {
        assertThat(Stats.ENABLED).isTrue();
    }
}
