package dev.slabworks.sharedpool;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.testkit.contract.ThreadExitScenarios.FilledBlock;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static dev.slabworks.testkit.contract.ThreadExitScenarios.allocateFilled;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.anEndedThreadsDirectMappingGoesToTheCacheWhenItsHeapIsReclaimed;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.endedThreadsLeaveTheirCountsButNoRow;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.remoteFreesRaceAnAdoption;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.runOnThreadThatEnds;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.threadsEndHandingOverHalf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The heaps of threads that have ended are reclaimed by a live thread (on {@code trim()} and on the slow
 * path that takes a slab from the pool): their empty slabs go back to the pool, their other slabs are
 * adopted with every live block intact. 256 KiB SuperSlabs (four 64 KiB slabs) and an LRU of 2 keep the
 * numbers small; the floor is what was mapped at start plus 2 SuperSlabs, each counted at its largest
 * reservation (an aligned mapping whose address hint missed reserves {@code size + alignment - page}).
 */
class ThreadExitTest {
    private static final long SS = 256 << 10;
    private static final int LRU = 2;
    /** Sizes of 12 different classes, 16 B .. 32 KiB. */
    private static final long[] SIZES = {16, 48, 100, 256, 500, 1024, 2000, 4096, 7000, 12000, 20000, 32768};

    private static SharedPoolAllocator allocator(int frontCapacity) {
        return new SharedPoolAllocator(Knobs.defaults().with(Knob.FC_CAP, frontCapacity).with(Knob.SS_SIZE, SS)
                .with(Knob.SS_LRU_SIZE, LRU).with(Knob.SS_PREWARM, 0).with(Knob.PURGE_DELAY_MS, 0)
                .with(Knob.DEBUG_CHECKS, true));
    }

    private static long floor(long mappedAtStart) {
        return mappedAtStart + LRU * (2 * SS - Os.PAGE_SIZE);
    }

    private static String describe(SharedPoolAllocator a) {
        StatsSnapshot s = a.stats();
        return "mapped " + s.get(Stat.MAPPED_BYTES) + " superslabs " + s.get(Stat.SUPERSLABS) + " lru " + a.pool().lruSize()
                + " owned " + a.heap().slabsOwned() + " heaps " + a.registeredHeaps();
    }

    /** After trim with nothing live: the pool holds only the LRU's SuperSlabs, every slab back. */
    private static void assertEverythingGivenBack(SharedPoolAllocator a, long start) {
        StatsSnapshot s = a.stats();
        assertThat(s.get(Stat.LIVE_BYTES)).isZero();
        assertThat(s.get(Stat.ALLOCATIONS)).isEqualTo(s.get(Stat.FREES));
        assertThat(a.heap().slabsOwned()).as(describe(a)).isZero();
        assertThat(s.get(Stat.SLABS_RETURNED)).isEqualTo(s.get(Stat.SLABS_ASSIGNED));
        assertThat(s.get(Stat.SUPERSLABS)).as("only the LRU's: " + describe(a)).isEqualTo(a.pool().lruSize())
                .isLessThanOrEqualTo(LRU);
        assertThat(s.get(Stat.MAPPED_BYTES)).as(describe(a)).isLessThanOrEqualTo(floor(start));
        a.pool().checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 256})
    void blocks_left_live_by_ended_threads_stay_intact_and_anyone_can_free_them_after_trim(int frontCapacity)
            throws Exception {
        try (SharedPoolAllocator a = allocator(frontCapacity)) {
            long start = a.stats().get(Stat.MAPPED_BYTES);
            List<FilledBlock> live = new ArrayList<>();
            long[] freedByTheDeadThread = new long[1];
            for (int t = 0; t < 3; t++) {
                long seed = t;
                runOnThreadThatEnds(() -> {
                    List<FilledBlock> all = allocateFilled(a, SIZES, 6, seed);
                    for (int i = 0; i < all.size(); i++) {
                        if (i % 3 == 0) {
                            live.add(all.get(i));
                        } else {
                            a.free(all.get(i).address()); // into the front cache or the slab
                            freedByTheDeadThread[0] = all.get(i).address();
                        }
                    }
                });
            }
            a.trim(); // the main thread adopts the dead heaps' non-empty slabs
            assertThat(a.reclaimedHeaps()).isEqualTo(3);
            assertThat(a.registeredHeaps()).as("main's heap only").isEqualTo(1);
            assertThat(a.heap().slabsOwned()).isPositive();
            for (FilledBlock b : live) {
                assertThat(b.intact()).as("block 0x%x of %d bytes", b.address(), b.size()).isTrue();
                assertThat(a.usableSize(b.address())).isGreaterThanOrEqualTo(b.size());
            }
            // a block a dead thread freed (maybe into its front cache, drained since) is still a double free
            assertThat(catchThrowableOfType(InvalidFreeException.class, () -> a.free(freedByTheDeadThread[0])).kind())
                    .isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
            List<FilledBlock> more = allocateFilled(a, SIZES, 4, 7); // may come from adopted slabs: must not hand out a live block
            for (FilledBlock b : live) {
                assertThat(b.intact()).isTrue();
            }
            for (int i = 0; i < live.size(); i += 2) {
                a.free(live.get(i).address()); // local now: main owns these slabs
            }
            runOnThreadThatEnds(() -> {
                for (int i = 1; i < live.size(); i += 2) {
                    assertThat(live.get(i).intact()).isTrue();
                    a.free(live.get(i).address()); // remote, into slabs main adopted
                }
            });
            for (FilledBlock b : more) {
                assertThat(b.intact()).isTrue();
                a.free(b.address());
            }
            a.trim();
            assertThat(a.stats().invalidFrees()).isEqualTo(1);
            assertEverythingGivenBack(a, start);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 256})
    void empty_slabs_of_ended_threads_go_back_to_the_pool_and_superslabs_beyond_the_lru_are_unmapped(int frontCapacity)
            throws Exception {
        try (SharedPoolAllocator a = allocator(frontCapacity)) {
            long start = a.stats().get(Stat.MAPPED_BYTES);
            threadsEndHandingOverHalf(a, SIZES, 4, 3);
            assertThat(a.stats().get(Stat.SUPERSLABS)).as("before trim the dead heaps hold their slabs").isGreaterThan(LRU);
            a.trim();
            assertThat(a.reclaimedHeaps()).isEqualTo(4);
            assertThat(a.pool().lruSize()).isEqualTo(LRU);
            assertThat(a.stats().get(Stat.SLABS_PURGED)).as("purge delay 0: every slot given back is purged").isPositive();
            assertEverythingGivenBack(a, start);
        }
    }

    @Test
    void thread_churn_without_trim_does_not_grow_the_mapped_memory() throws Exception {
        try (SharedPoolAllocator a = allocator(256)) {
            for (int round = 0; round < 40; round++) {
                runOnThreadThatEnds(() -> {
                    for (FilledBlock b : allocateFilled(a, SIZES, 1, 1)) {
                        a.free(b.address()); // each thread ends holding one empty current slab per class
                    }
                });
            }
            // each new thread's first slab from the pool reclaims the heaps of the threads that ended before it
            assertThat(a.reclaimedHeaps()).isGreaterThanOrEqualTo(39);
            assertThat(a.registeredHeaps()).isLessThanOrEqualTo(1);
            long slabsPerThread = SIZES.length;
            long superSlabsPerThread = (slabsPerThread + 3) / 4;
            assertThat(a.stats().get(Stat.SUPERSLABS_PEAK)).as("never more than two threads' worth plus the LRU")
                    .isLessThanOrEqualTo(2 * superSlabsPerThread + LRU);
        }
    }

    /**
     * Remote frees race with the change of owner: two freers free a dead thread's blocks while the main
     * thread adopts its slabs (trim) and allocates from them. Nothing is lost (every slab comes back empty,
     * which needs every remote free collected), nothing is corrupted, nothing is rejected.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 256})
    void remote_frees_racing_an_adoption_are_neither_lost_nor_corrupting(int frontCapacity) throws Exception {
        try (SharedPoolAllocator a = allocator(frontCapacity)) {
            long start = a.stats().get(Stat.MAPPED_BYTES);
            remoteFreesRaceAnAdoption(a, SIZES, 10);
            a.trim();
            assertThat(a.stats().invalidFrees()).isZero();
            assertEverythingGivenBack(a, start);
        }
    }

    @Test
    void ended_threads_leave_their_counts_but_no_stats_row_once_reclaimed() throws Exception {
        try (SharedPoolAllocator a = allocator(64)) {
            endedThreadsLeaveTheirCountsButNoRow(a, a::statsRows, 40, 300);
        }
    }

    @Test
    void an_ended_threads_direct_mapping_goes_to_the_cache_when_its_heap_is_reclaimed() throws Exception {
        try (SharedPoolAllocator a = allocator(64)) {
            anEndedThreadsDirectMappingGoesToTheCacheWhenItsHeapIsReclaimed(a, a::directCachedCount);
        }
    }
}
