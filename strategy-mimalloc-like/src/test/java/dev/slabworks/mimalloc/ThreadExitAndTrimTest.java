package dev.slabworks.mimalloc;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.api.validate.ValidationMode;
import dev.slabworks.testkit.campaign.BlockContents;
import org.junit.jupiter.api.Test;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.onThreadThatEnds;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.anEndedThreadsDirectMappingGoesToTheCacheWhenItsHeapIsReclaimed;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.endedThreadsLeaveTheirCountsButNoRow;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code trim()} and the reclamation of the heaps of ended threads: live blocks survive and stay freeable by
 * anyone, empty pages and segments come back, and thread churn alone (no trim) does not grow the mapping.
 */
class ThreadExitAndTrimTest {
    private static final Knobs DEFAULTS = Knobs.defaults().with(Knob.DEBUG_CHECKS, true);
    /** Every segment unmapped as soon as it is empty. */
    private static final Knobs NO_LRU = DEFAULTS.with(Knob.SS_LRU_SIZE, 0);

    /** A block, its size and the seed of its contents. */
    private record Block(long address, long size, long seed) {
    }

    @Test
    void blocks_of_an_ended_thread_stay_intact_and_any_thread_can_free_them_after_trim() throws Exception {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(NO_LRU)) {
            List<Block> blocks = onThreadThatEnds(() -> allocateFilled(a, 5_000, 1));

            a.trim();

            assertThat(a.heapRegistry().reclaimed()).isEqualTo(1);
            assertThat(blocks).allSatisfy(b -> assertThat(BlockContents.firstMismatch(b.address, b.size, b.seed)).isEqualTo(-1));
            List<Block> mine = blocks.subList(0, blocks.size() / 2);
            List<Block> theirs = blocks.subList(blocks.size() / 2, blocks.size());
            mine.forEach(b -> a.free(b.address));
            onThreadThatEnds(() -> {
                theirs.forEach(b -> a.free(b.address));
                return null;
            });
            a.callingHeap().checkInvariants(true);

            a.trim();

            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.FREES)).isEqualTo(s.get(Stat.ALLOCATIONS)).isEqualTo(blocks.size());
            assertThat(s.get(Stat.LIVE_BYTES)).isZero();
            assertThat(s.invalidFrees()).isZero();
            assertThat(a.pool().segmentCount()).isZero();
            assertThat(s.get(Stat.MAPPED_BYTES)).isZero();
        }
    }

    @Test
    void the_adopting_thread_frees_blocks_of_adopted_pages_locally_and_others_free_them_remotely() throws Exception {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(DEFAULTS)) {
            List<Block> blocks = onThreadThatEnds(() -> allocateFilled(a, 2_000, 2));
            a.trim();
            long remoteBefore = a.stats().get(Stat.REMOTE_FREES);

            blocks.subList(0, 1_000).forEach(b -> a.free(b.address));
            assertThat(a.stats().get(Stat.REMOTE_FREES)).isEqualTo(remoteBefore);

            onThreadThatEnds(() -> {
                blocks.subList(1_000, 2_000).forEach(b -> a.free(b.address));
                return null;
            });
            assertThat(a.stats().get(Stat.REMOTE_FREES)).isEqualTo(remoteBefore + 1_000);
            assertThatThrownBy(() -> a.free(blocks.getFirst().address)).isInstanceOf(InvalidFreeException.class);
        }
    }

    @Test
    void trim_unmaps_the_empty_segments_of_ended_threads_down_to_the_lru() throws Exception {
        for (int lru : new int[] {0, 2}) {
            Knobs knobs = Knobs.defaults().with(Knob.SS_LRU_SIZE, lru); // no debug checks: big heaps
            try (MimallocLikeAllocator a = new MimallocLikeAllocator(knobs)) {
                // four threads fill pages, free everything remotely into each other, and end holding their pages
                List<List<Block>> perThread = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int seed = t;
                    perThread.add(onThreadThatEnds(() -> allocateFilled(a, 20_000, 10 + seed)));
                }
                onThreadThatEnds(() -> {
                    perThread.forEach(l -> l.forEach(b -> a.free(b.address)));
                    return null;
                });
                int segmentsBefore = a.pool().segmentCount();
                long munmapsBefore = a.stats().get(Stat.SYSCALL_MUNMAP);
                assertThat(segmentsBefore).as("ended heaps still hold their pages").isGreaterThan(lru);

                a.trim();

                StatsSnapshot s = a.stats();
                assertThat(a.heapRegistry().reclaimed()).isEqualTo(5);
                assertThat(a.pool().segmentCount()).isEqualTo(a.pool().emptySegmentCount()).isLessThanOrEqualTo(lru);
                assertThat(s.get(Stat.SYSCALL_MUNMAP) - munmapsBefore).isEqualTo(segmentsBefore - a.pool().segmentCount());
                assertThat(s.get(Stat.SEGMENTS)).isEqualTo(a.pool().segmentCount());
                assertThat(s.get(Stat.MAPPED_BYTES)).isLessThanOrEqualTo(lru * knobs.longValue(MimallocLikeKnobs.SEGMENT_SIZE));
            }
        }
    }

    @Test
    void threads_that_come_and_go_without_trim_do_not_grow_the_mapped_segments() throws Exception {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(NO_LRU)) {
            // what one such thread maps: small and medium pages of many classes span several segments
            onThreadThatEnds(() -> {
                allocateFilled(a, 500, -1).forEach(b -> a.free(b.address));
                return null;
            });
            int oneHeap = a.pool().segmentCount();
            int maxSegments = 0;
            for (int t = 0; t < 100; t++) {
                int seed = t;
                // each thread touches many classes and frees its blocks, leaving only its current (empty) pages
                onThreadThatEnds(() -> {
                    List<Block> blocks = allocateFilled(a, 500, seed);
                    blocks.forEach(b -> a.free(b.address));
                    return null;
                });
                maxSegments = Math.max(maxSegments, a.pool().segmentCount());
            }
            // without reclamation each heap would keep ~35 pages of its own: 100 threads, hundreds of segments
            assertThat(oneHeap).isPositive();
            assertThat(maxSegments).isLessThanOrEqualTo(2 * oneHeap);
            assertThat(a.heapRegistry().size()).isLessThanOrEqualTo(2);
            assertThat(a.heapRegistry().reclaimed()).isGreaterThanOrEqualTo(99);
        }
    }

    @Test
    void a_free_through_a_cached_segment_that_was_unmapped_is_looked_up_again() throws Exception {
        Knobs knobs = NO_LRU.with(Knob.VALIDATION, "MINCORE_CACHED");
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(knobs)) {
            assertThat(a.validationMode()).isEqualTo(ValidationMode.MINCORE_CACHED);
            long old = a.allocate(64);
            a.free(old); // the calling heap now caches old's segment
            a.trim(); // the page is empty: back to the pool, and the segment, past an LRU of 0, unmapped
            assertThat(a.pool().segmentCount()).isZero();

            assertThatThrownBy(() -> a.free(old)).isInstanceOf(InvalidFreeException.class);
            // a new segment is often mapped where the old one was: its blocks must free normally
            List<Long> fresh = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                fresh.add(a.allocate(64));
            }
            fresh.forEach(a::free);
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.FREES)).isEqualTo(101);
            assertThat(s.invalidFrees()).isEqualTo(1);
            assertThat(s.get(Stat.LIVE_BYTES)).isZero();
        }
    }

    @Test
    void a_thread_frees_its_own_blocks_on_the_local_path_before_and_after_trim() {
        // LRU 0: each trim unmaps the segments, so the heap's cached segment goes stale between rounds
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(Knobs.defaults().with(Knob.SS_LRU_SIZE, 0))) {
            for (int round = 0; round < 3; round++) {
                StatsSnapshot before = a.stats();
                List<Block> blocks = allocateFilled(a, 10_000, round);
                blocks.forEach(b -> a.free(b.address));
                StatsSnapshot after = a.stats();
                assertThat(after.get(Stat.REMOTE_FREES)).isZero();
                // MINCORE_CACHED: own segments are confirmed once, then every free is a cache hit
                assertThat(after.get(Stat.SYSCALL_MINCORE) - before.get(Stat.SYSCALL_MINCORE))
                        .isLessThanOrEqualTo(after.get(Stat.SEGMENTS_PEAK) + 1);
                a.trim();
                assertThat(a.pool().segmentCount()).isZero();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Blocks of sizes across the small classes, each filled from its own seed. */
    static List<Block> allocateFilled(MimallocLikeAllocator a, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Block> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long size = rnd.nextInt(4) == 0 ? rnd.nextLong(1, 32 * 1024 + 1) : rnd.nextLong(1, 1025);
            long p = a.allocate(size);
            long contents = rnd.nextLong();
            BlockContents.fill(p, size, contents);
            out.add(new Block(p, size, contents));
        }
        return out;
    }

    @Test
    void ended_threads_leave_their_counts_but_no_stats_row_once_reclaimed() throws Exception {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(DEFAULTS)) {
            endedThreadsLeaveTheirCountsButNoRow(a, a::statsRows, 40, 300);
        }
    }

    @Test
    void an_ended_threads_direct_mapping_goes_to_the_cache_when_its_heap_is_reclaimed() throws Exception {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(DEFAULTS)) {
            anEndedThreadsDirectMappingGoesToTheCacheWhenItsHeapIsReclaimed(a, a::directCachedCount);
        }
    }
}
