package dev.slabworks.superslab;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.front.FrontCache;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.testkit.contract.StandardError;
import dev.slabworks.testkit.contract.ThreadExitScenarios.FilledBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.slabworks.testkit.contract.ThreadExitScenarios.allocateFilled;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.anEndedThreadsDirectMappingGoesToTheCacheWhenItsHeapIsReclaimed;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.endedThreadsLeaveTheirCountsButNoRow;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.onThreadThatEnds;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.remoteFreesRaceAnAdoption;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.runOnThreadThatEnds;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.threadsEndHandingOverHalf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The heaps of threads that have ended are reclaimed (by {@code trim()} and on the slow path that takes a
 * SuperSlab), and {@code trim()} gives back the caller's empty SuperSlabs, without touching live blocks.
 * 64 KiB SuperSlabs and an LRU of 4 keep the numbers small: the floor is what was mapped at start plus
 * 4 SuperSlabs, each counted at its largest reservation (an aligned mapping whose address hint missed
 * reserves {@code size + alignment - page} bytes, and mapped bytes count reservations).
 */
class SuperSlabThreadExitTest {
    private static final long SS = 64 << 10;
    private static final int LRU = 4;
    /** Sizes of 12 different classes, 16 B .. 32 KiB. */
    private static final long[] SIZES = {16, 48, 100, 256, 500, 1024, 2000, 4096, 7000, 12000, 20000, 32768};

    private static SuperSlabAllocator allocator(int frontCapacity) {
        return allocator(Knobs.defaults().with(Knob.FC_CAP, frontCapacity));
    }

    private static SuperSlabAllocator allocator(Knobs base) {
        return new SuperSlabAllocator(base.with(Knob.SS_SIZE, "64K").with(Knob.SS_LRU_SIZE, LRU)
                .with(Knob.SS_PREWARM, 0).with(Knob.DEBUG_CHECKS, true));
    }

    private static String describe(SuperSlabAllocator a) {
        StatsSnapshot s = a.stats();
        return "mapped " + s.get(Stat.MAPPED_BYTES) + " mappings " + s.get(Stat.MAPPINGS_LIVE) + " ss " + s.get(Stat.SUPERSLABS)
                + " lru " + a.lruLength() + " owned " + a.ownedByCallingThread() + " heaps " + a.heapRegistry().size();
    }

    private static long floor(long mappedAtStart) {
        return mappedAtStart + LRU * (2 * SS - Os.PAGE_SIZE);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 256})
    void trim_after_threads_exit_brings_mapped_bytes_back_to_the_lru_floor(int frontCapacity) throws Exception {
        try (SuperSlabAllocator a = allocator(frontCapacity)) {
            long start = a.stats().get(Stat.MAPPED_BYTES);
            threadsEndHandingOverHalf(a, SIZES, 4, 3);
            assertThat(a.stats().get(Stat.MAPPED_BYTES)).as("before trim the dead heaps hold their SuperSlabs")
                    .isGreaterThan(floor(start));
            a.trim();
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.MAPPED_BYTES)).as(describe(a)).isLessThanOrEqualTo(floor(start));
            assertThat(a.stats().get(Stat.SUPERSLABS)).as("only the LRU's").isEqualTo(a.lruLength()).isLessThanOrEqualTo(LRU);
            assertThat(s.get(Stat.LIVE_BYTES)).isZero();
            assertThat(a.heapRegistry().reclaimed()).isEqualTo(4);
            assertThat(a.heapRegistry().size()).as("main's heap only").isEqualTo(1);
            assertThat(a.ownedByCallingThread()).isZero();
            assertThat(a.lruLength()).isEqualTo(LRU);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 256})
    void blocks_live_in_an_exited_threads_superslabs_stay_intact_and_are_freed_from_other_threads_later(
            int frontCapacity) throws Exception {
        try (SuperSlabAllocator a = allocator(frontCapacity)) {
            long start = a.stats().get(Stat.MAPPED_BYTES);
            List<FilledBlock> live = new ArrayList<>();
            long[] freedByTheDeadThread = new long[1];
            runOnThreadThatEnds(() -> {
                List<FilledBlock> all = allocateFilled(a, SIZES, 4, 42);
                for (int i = 0; i < all.size(); i++) {
                    if (i % 3 == 0) {
                        live.add(all.get(i));
                    } else {
                        a.free(all.get(i).address());
                        freedByTheDeadThread[0] = all.get(i).address();
                    }
                }
            });
            a.trim(); // main adopts the non-empty SuperSlabs of the dead heap
            assertThat(a.heapRegistry().reclaimed()).isEqualTo(1);
            assertThat(a.ownedByCallingThread()).isPositive();
            for (FilledBlock b : live) {
                assertThat(b.intact()).as("block 0x%x of %d bytes", b.address(), b.size()).isTrue();
                assertThat(a.usableSize(b.address())).isGreaterThanOrEqualTo(b.size());
            }
            // a block the dead thread freed (possibly into its front cache) is still caught as a double free
            assertThat(catchThrowableOfType(InvalidFreeException.class, () -> a.free(freedByTheDeadThread[0])).kind())
                    .isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
            // allocation goes on and does not hand out a live block
            List<FilledBlock> more = allocateFilled(a, SIZES, 2, 7);
            for (FilledBlock b : live) {
                assertThat(b.intact()).isTrue();
            }
            // half of the old blocks freed here (local now), half from yet another thread (remote)
            for (int i = 0; i < live.size(); i += 2) {
                a.free(live.get(i).address());
            }
            runOnThreadThatEnds(() -> {
                for (int i = 1; i < live.size(); i += 2) {
                    assertThat(live.get(i).intact()).isTrue();
                    a.free(live.get(i).address());
                }
            });
            for (FilledBlock b : more) {
                assertThat(b.intact()).isTrue();
                a.free(b.address());
            }
            a.trim();
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.LIVE_BYTES)).isZero();
            assertThat(s.get(Stat.ALLOCATIONS)).isEqualTo(s.get(Stat.FREES));
            assertThat(s.invalidFrees()).isEqualTo(1);
            assertThat(a.ownedByCallingThread()).isZero();
            assertThat(s.get(Stat.MAPPED_BYTES)).as(describe(a)).isLessThanOrEqualTo(floor(start));
            assertThat(a.stats().get(Stat.SUPERSLABS)).as("only the LRU's").isEqualTo(a.lruLength()).isLessThanOrEqualTo(LRU);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void trim_keeps_live_blocks_intact_and_releases_the_callers_empty_superslabs(boolean reusePartial) {
        try (SuperSlabAllocator a = allocator(Knobs.defaults().with(SuperSlabKnobs.SS_REUSE_PARTIAL, reusePartial))) {
            long start = a.stats().get(Stat.MAPPED_BYTES);
            List<FilledBlock> all = allocateFilled(a, SIZES, 40, 3);
            List<FilledBlock> live = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).size() == 100 && live.size() < 3) {
                    live.add(all.get(i)); // one class keeps a few live blocks
                } else {
                    a.free(all.get(i).address());
                }
            }
            a.trim();
            assertThat(a.ownedByCallingThread()).as("only SuperSlabs with live blocks stay").isBetween(1, 3);
            for (FilledBlock b : live) {
                assertThat(b.intact()).isTrue();
            }
            List<FilledBlock> again = allocateFilled(a, SIZES, 2, 4);
            for (FilledBlock b : live) {
                assertThat(b.intact()).isTrue();
                a.free(b.address());
            }
            for (FilledBlock b : again) {
                assertThat(b.intact()).isTrue();
                a.free(b.address());
            }
            a.trim();
            assertThat(a.ownedByCallingThread()).isZero();
            assertThat(a.stats().get(Stat.MAPPED_BYTES)).as(describe(a)).isLessThanOrEqualTo(floor(start));
            assertThat(a.stats().get(Stat.SUPERSLABS)).as("only the LRU's").isEqualTo(a.lruLength()).isLessThanOrEqualTo(LRU);
            assertThat(a.stats().get(Stat.LIVE_BYTES)).isZero();
        }
    }

    @Test
    void trim_collects_remote_frees_into_superslabs_partial_reuse_never_goes_back_to() throws Exception {
        try (SuperSlabAllocator a = allocator(Knobs.defaults().with(SuperSlabKnobs.SS_REUSE_PARTIAL, false).with(Knob.FC_CAP, 0))) {
            long start = a.stats().get(Stat.MAPPED_BYTES);
            int capacity = SuperSlab.capacity(SS, SizeClasses.classOf(1024));
            long[] blocks = new long[3 * capacity];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = a.allocate(1024);
            }
            runOnThreadThatEnds(() -> {
                for (long p : blocks) {
                    a.free(p);
                }
            });
            assertThat(a.stats().get(Stat.SUPERSLABS)).as("remote frees wait in non-current SuperSlabs").isEqualTo(3);
            a.trim();
            assertThat(a.stats().get(Stat.MAPPED_BYTES)).as(describe(a)).isLessThanOrEqualTo(floor(start));
            assertThat(a.stats().get(Stat.SUPERSLABS)).as("only the LRU's").isEqualTo(a.lruLength()).isLessThanOrEqualTo(LRU);
            assertThat(a.ownedByCallingThread()).isZero();
        }
    }

    @Test
    void thread_churn_without_trim_does_not_grow_the_mapped_memory() throws Exception {
        try (SuperSlabAllocator a = allocator(Knobs.defaults().with(SuperSlabKnobs.SS_LRU_MAX, LRU))) { // a fixed room
            for (int round = 0; round < 40; round++) {
                runOnThreadThatEnds(() -> {
                    for (FilledBlock b : allocateFilled(a, SIZES, 1, 1)) {
                        a.free(b.address()); // each thread ends holding one empty current SuperSlab per class
                    }
                });
            }
            StatsSnapshot s = a.stats();
            // each new thread's first SuperSlab reclaims the heaps of the threads that ended before it
            assertThat(a.heapRegistry().reclaimed()).isGreaterThanOrEqualTo(39);
            assertThat(a.heapRegistry().size()).isLessThanOrEqualTo(1);
            assertThat(s.get(Stat.SUPERSLABS_PEAK)).as("never more than two threads' worth plus the LRU")
                    .isLessThanOrEqualTo(2L * SIZES.length + LRU);
            assertThat(s.get(Stat.SUPERSLABS)).isLessThanOrEqualTo(SIZES.length + LRU);
        }
    }

    /**
     * Remote frees race with the change of owner: freers free a dead thread's blocks while the main thread
     * adopts its SuperSlabs (trim) and allocates from them. Nothing is lost (every block comes back), nothing
     * is corrupted (live blocks keep their contents), nothing is rejected.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 256})
    void remote_frees_racing_an_adoption_are_neither_lost_nor_corrupting(int frontCapacity) throws Exception {
        try (SuperSlabAllocator a = allocator(frontCapacity)) {
            long start = a.stats().get(Stat.MAPPED_BYTES);
            remoteFreesRaceAnAdoption(a, SIZES, 10);
            a.trim();
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.ALLOCATIONS)).isEqualTo(s.get(Stat.FREES));
            assertThat(s.get(Stat.LIVE_BYTES)).isZero();
            assertThat(s.invalidFrees()).isZero();
            assertThat(a.ownedByCallingThread()).isZero();
            assertThat(s.get(Stat.MAPPED_BYTES)).as(describe(a)).isLessThanOrEqualTo(floor(start));
            assertThat(a.stats().get(Stat.SUPERSLABS)).as("only the LRU's").isEqualTo(a.lruLength()).isLessThanOrEqualTo(LRU);
        }
    }

    @Test
    void thread_churn_grows_the_lrus_room_up_to_its_most_and_trim_brings_it_back() throws Exception {
        int most = 4 * LRU;
        try (SuperSlabAllocator a = allocator(Knobs.defaults().with(SuperSlabKnobs.SS_LRU_MAX, most).with(Knob.SS_LRU_DEBUG, true))) {
            for (int round = 0; round < 40; round++) {
                runOnThreadThatEnds(() -> {
                    for (FilledBlock b : allocateFilled(a, SIZES, 1, 1)) {
                        a.free(b.address()); // each ended heap leaves an empty SuperSlab per class: bursts of 12
                    }
                });
            }
            assertThat(a.lruCapacity()).as("grown past ss.lru.size").isGreaterThan(LRU).isLessThanOrEqualTo(most);
            int grown = a.lruCapacity();

            a.trim();

            assertThat(a.lruCapacity()).isEqualTo(LRU);
            assertThat(a.lruLength()).isLessThanOrEqualTo(LRU);
            assertThat(a.stats().get(Stat.SUPERSLABS)).as("only the LRU's").isEqualTo(a.lruLength());
            String report = StandardError.during(a::close);
            Matcher m = Pattern.compile("LRU \\(size " + LRU + ", room grew to (\\d+)\\)")
                    .matcher(report);
            assertThat(m.find()).as("ss.lru.debug names the largest room: %s", report).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isBetween(grown, most);
        }
    }

    @Test
    void a_new_threads_heap_takes_the_front_cache_of_a_reclaimed_heap_emptied() throws Exception {
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults())) {
            long kept = a.allocate(64);
            FrontCache ended = onThreadThatEnds(() -> {
                a.free(a.allocate(64)); // one block in the front cache when the thread ends
                a.free(kept); // and one of another heap, held
                return a.frontCacheOfCallingThread();
            });
            a.trim(); // reclaims the ended heap: its cache is drained and kept

            FrontCache next = onThreadThatEnds(a::frontCacheOfCallingThread);

            assertThat(next).isSameAs(ended);
            assertThat(next.isEmpty()).isTrue();
            assertThat(a.stats().get(Stat.LIVE_BYTES)).isZero();
        }
    }

    @Test
    void ended_threads_leave_their_counts_but_no_stats_row_once_reclaimed() throws Exception {
        try (SuperSlabAllocator a = allocator(64)) {
            endedThreadsLeaveTheirCountsButNoRow(a, a::statsRows, 40, 300);
        }
    }

    @Test
    void an_ended_threads_direct_mapping_goes_to_the_cache_when_its_heap_is_reclaimed() throws Exception {
        try (SuperSlabAllocator a = allocator(64)) {
            anEndedThreadsDirectMappingGoesToTheCacheWhenItsHeapIsReclaimed(a, a::directCachedCount);
        }
    }
}
