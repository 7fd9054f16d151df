package dev.slabworks.mimalloc;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the per-page counting of {@link Page} ("Counting"): the stats see every allocation and free, exactly,
 * while the counts still sit in the pages, after remote frees are collected, after trim and after close;
 * and a block's bytes are never late, so the live-bytes peak neither counts a block freed before its sample
 * nor loses a rise behind another thread's uncounted allocations.
 */
class PageCountingTest {

    @Test
    void the_stats_count_every_block_exactly_while_its_page_holds_the_count_and_after_it_moves_to_the_row()
            throws Exception {
        MimallocLikeAllocator a = new MimallocLikeAllocator(Knobs.defaults());
        SplittableRandom random = new SplittableRandom(9);
        List<Long> kept = new ArrayList<>();
        long bytes = 0;
        long keptBytes = 0;
        int n = 50_000; // several pages per class: pages change, fill and empty
        for (int i = 0; i < n; i++) {
            long size = random.nextLong(16, 1025);
            long p = a.allocate(size);
            long classBytes = SizeClasses.size(SizeClasses.classOf(size));
            bytes += classBytes;
            if (i % 2 == 0) {
                a.free(p);
            } else {
                kept.add(p);
                keptBytes += classBytes;
            }
        }
        expect(a.stats(), n, n / 2, bytes, bytes - keptBytes);

        Thread other = new Thread(() -> kept.forEach(a::free)); // remote frees, collected by this thread later
        other.start();
        other.join();
        StatsSnapshot remote = a.stats();
        expect(remote, n, n, bytes, bytes);
        assertThat(remote.get(Stat.REMOTE_FREES)).isEqualTo(n / 2);

        for (int i = 0; i < 1000; i++) { // this thread's pages collect the remote frees as they refill
            a.free(a.allocate(random.nextLong(16, 1025)));
        }
        a.trim(); // collects every page and gives the empty ones back
        StatsSnapshot trimmed = a.stats();
        assertThat(trimmed.get(Stat.PAGES_RETIRED)).isPositive();
        assertThat(trimmed.get(Stat.ALLOCATIONS)).isEqualTo(n + 1000);
        assertThat(trimmed.get(Stat.FREES)).isEqualTo(n + 1000);
        assertThat(trimmed.get(Stat.LIVE_BYTES)).isZero();
        assertThat(trimmed.get(Stat.REMOTE_FREES)).isEqualTo(n / 2);

        a.allocate(100); // both counted by their page only when the allocator closes
        a.free(a.allocate(200));
        a.close();
        StatsSnapshot closed = a.stats();
        assertThat(closed.get(Stat.ALLOCATIONS)).isEqualTo(n + 1002);
        assertThat(closed.get(Stat.FREES)).isEqualTo(n + 1001);
        assertThat(closed.get(Stat.LIVE_BYTES)).isEqualTo(SizeClasses.size(SizeClasses.classOf(100)));
    }

    @Test
    void the_live_bytes_peak_never_counts_blocks_freed_into_pages_that_are_not_current() {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(Knobs.defaults())) {
            // 1 KiB blocks: three 2 MiB medium pages, the first two full; then all but one block of each
            // page freed, so the first two stay with the heap, neither current nor empty, their frees uncounted
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 3 * 2048; i++) {
                blocks.add(a.allocate(1024));
            }
            long live = 3 * 2048 * 1024L;
            for (int i = 0; i < blocks.size(); i++) {
                if (i % 2048 != 0) {
                    a.free(blocks.get(i));
                    live -= 1024;
                }
            }
            // 8 MiB of 512-byte blocks: four pages, whose changes sample the live bytes. Had the frees'
            // bytes waited for their count as well, those samples would have seen the first two pages' 4 MiB
            // again and put the peak at 10 MiB; the true peak is now, at the end.
            for (int i = 0; i < 4 * 4096; i++) {
                a.allocate(512);
                live += 512;
            }
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.LIVE_BYTES)).isEqualTo(live);
            assertThat(s.get(Stat.LIVE_BYTES_PEAK)).isEqualTo(live);
        }
    }

    @Test
    void a_thread_that_churns_on_one_page_never_hides_another_threads_rise_from_the_peak() throws Exception {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(Knobs.defaults())) {
            CountDownLatch churned = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            // a million allocations on one page that stays current: none counted while the thread lives
            // (alive, its heap is not reclaimed, so its page is not given back and counted on the way)
            Thread churn = new Thread(() -> {
                for (int i = 0; i < 1_000_000; i++) {
                    a.free(a.allocate(1024));
                }
                churned.countDown();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            churn.start();
            churned.await();
            // three 2 MiB pages of 1 KiB blocks: the change to the third samples 4 MiB live, all of it this thread's
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 3 * 2048; i++) {
                blocks.add(a.allocate(1024));
            }
            blocks.forEach(a::free);
            StatsSnapshot s = a.stats();
            done.countDown();
            churn.join();
            assertThat(s.get(Stat.LIVE_BYTES)).isZero();
            assertThat(s.get(Stat.LIVE_BYTES_PEAK)).isBetween(2 * 2048 * 1024L, 3 * 2048 * 1024L);
            assertThat(s.get(Stat.ALLOCATIONS)).isEqualTo(1_000_000 + 3 * 2048);
            assertThat(s.get(Stat.FREES)).isEqualTo(1_000_000 + 3 * 2048);
        }
    }

    private static void expect(StatsSnapshot s, long allocations, long frees, long bytesAllocated, long bytesFreed) {
        assertThat(s.get(Stat.ALLOCATIONS)).as("allocations").isEqualTo(allocations);
        assertThat(s.get(Stat.FREES)).as("frees").isEqualTo(frees);
        assertThat(s.get(Stat.BYTES_ALLOCATED)).as("bytes allocated").isEqualTo(bytesAllocated);
        assertThat(s.get(Stat.BYTES_FREED)).as("bytes freed").isEqualTo(bytesFreed);
        assertThat(s.get(Stat.LIVE_BYTES)).as("live bytes").isEqualTo(bytesAllocated - bytesFreed);
    }
}
