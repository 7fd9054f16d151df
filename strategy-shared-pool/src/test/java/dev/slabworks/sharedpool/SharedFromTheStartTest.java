package dev.slabworks.sharedpool;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stat;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static dev.slabworks.testkit.contract.ThreadExitScenarios.onThreadThatEnds;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.runOnThreadThatEnds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A heap that other threads free into starts its later slabs shared: the first remote free of each new slab then
 * waits in no handshake ({@code membarrier}), and a double free across threads is still caught on either side.
 */
class SharedFromTheStartTest {
    private static final long SIZE = 1024;
    /** More than a 64 KiB slab holds of SIZE: allocating them runs the first slab dry. */
    private static final int PAST_ONE_SLAB = 3 * 64;

    private static SharedPoolAllocator allocator() {
        return new SharedPoolAllocator(Knobs.defaults().with(Knob.FC_REMOTE, 0).with(Knob.DEBUG_CHECKS, true));
    }

    /**
     * Has another thread free a block of the calling thread's first slab (the heap's first remote free), then allocates
     * past that slab: the blocks returned lie in the first slab and in slabs taken after the remote free.
     */
    private static long[] pastOneSlabAfterARemoteFree(SharedPoolAllocator a) throws InterruptedException {
        long first = a.allocate(SIZE);
        runOnThreadThatEnds(() -> a.free(first));
        long[] more = new long[PAST_ONE_SLAB];
        for (int i = 0; i < more.length; i++) {
            more[i] = a.allocate(SIZE);
        }
        return more;
    }

    @Test
    void once_another_thread_freed_into_a_heaps_slab_the_heaps_next_slabs_need_no_handshake() throws Exception {
        assumeTrue(Os.BARRIER_AVAILABLE, "membarrier is not available here");
        try (SharedPoolAllocator a = allocator()) {
            long first = a.allocate(SIZE);
            runOnThreadThatEnds(() -> a.free(first));
            assertThat(a.stats().get(Stat.SYSCALL_MEMBARRIER)).as("the first remote free's handshake").isEqualTo(1);

            long[] more = new long[PAST_ONE_SLAB];
            for (int i = 0; i < more.length; i++) {
                more[i] = a.allocate(SIZE);
            }
            long later = more[more.length - 1];
            assertThat(Math.abs(later - more[0])).as("a block of a later slab").isGreaterThanOrEqualTo(64 << 10);
            runOnThreadThatEnds(() -> a.free(later));

            assertThat(a.stats().get(Stat.SYSCALL_MEMBARRIER)).as("no handshake for a slab that started shared")
                    .isEqualTo(1);
            assertThat(a.stats().get(Stat.REMOTE_FREES)).isEqualTo(2);
            for (int i = 0; i < more.length - 1; i++) {
                a.free(more[i]);
            }
        }
    }

    @Test
    void a_new_heap_starts_shared_when_the_ended_heap_reclaimed_last_had_frees_from_other_threads() throws Exception {
        assumeTrue(Os.BARRIER_AVAILABLE, "membarrier is not available here");
        try (SharedPoolAllocator a = allocator()) {
            long[] left = onThreadThatEnds(() -> new long[] {a.allocate(SIZE), a.allocate(SIZE)});
            a.free(left[0]); // into the heap of an ended thread: a handshake, and that heap was freed into
            a.trim(); // reclaims it; left[1] keeps its slot busy, so a new slab takes a slot with no history
            assertThat(a.stats().get(Stat.SYSCALL_MEMBARRIER)).isEqualTo(1);

            long other = onThreadThatEnds(() -> a.allocate(4 * SIZE));
            a.free(other);

            assertThat(a.stats().get(Stat.SYSCALL_MEMBARRIER)).as("the new heap's slab started shared").isEqualTo(1);
            a.free(left[1]);
        }
    }

    @Test
    void with_slab_start_shared_off_every_new_slab_starts_private_and_its_first_remote_free_waits() throws Exception {
        assumeTrue(Os.BARRIER_AVAILABLE, "membarrier is not available here");
        try (SharedPoolAllocator a = new SharedPoolAllocator(Knobs.defaults().with(Knob.FC_REMOTE, 0)
                .with(Knob.SLAB_START_SHARED, false))) {
            long[] more = pastOneSlabAfterARemoteFree(a);
            long later = more[more.length - 1];
            runOnThreadThatEnds(() -> a.free(later));

            assertThat(a.stats().get(Stat.SYSCALL_MEMBARRIER)).as("a handshake for each slab").isEqualTo(2);
            for (int i = 0; i < more.length - 1; i++) {
                a.free(more[i]);
            }
        }
    }

    @Test
    void without_remote_frees_a_heaps_slabs_stay_private_and_every_first_remote_free_waits() throws Exception {
        assumeTrue(Os.BARRIER_AVAILABLE, "membarrier is not available here");
        try (SharedPoolAllocator a = allocator()) {
            long[] blocks = new long[PAST_ONE_SLAB];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = a.allocate(SIZE);
            }
            runOnThreadThatEnds(() -> {
                a.free(blocks[0]);
                a.free(blocks[blocks.length - 1]);
            });
            assertThat(a.stats().get(Stat.SYSCALL_MEMBARRIER)).as("one handshake per slab").isEqualTo(2);
            for (int i = 1; i < blocks.length - 1; i++) {
                a.free(blocks[i]);
            }
        }
    }

    @Test
    void the_owner_and_another_thread_racing_to_free_the_same_blocks_of_slabs_that_started_shared_win_once_each()
            throws Exception {
        try (SharedPoolAllocator a = allocator()) {
            long first = a.allocate(SIZE);
            runOnThreadThatEnds(() -> a.free(first)); // from now on the heap's new slabs start shared
            for (int race = 0; race < 20; race++) {
                long[] blocks = new long[PAST_ONE_SLAB];
                for (int i = 0; i < blocks.length; i++) {
                    blocks[i] = a.allocate(SIZE);
                }
                AtomicIntegerArray wins = new AtomicIntegerArray(blocks.length);
                CyclicBarrier go = new CyclicBarrier(2);
                AtomicReference<Throwable> remoteFailure = new AtomicReference<>();
                Thread remote = Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        freeAllCountingWins(a, blocks, wins);
                    } catch (Throwable t) {
                        remoteFailure.set(t);
                    }
                });
                go.await();
                freeAllCountingWins(a, blocks, wins);
                remote.join();

                assertThat(remoteFailure.get()).as("the other thread's failure").isNull();
                for (int i = 0; i < blocks.length; i++) {
                    assertThat(wins.get(i)).as("frees of block %d that succeeded", i).isEqualTo(1);
                }
            }
            assertThat(a.stats().get(Stat.LIVE_BYTES)).isZero();
            java.util.Set<Long> again = new java.util.HashSet<>();
            for (int i = 0; i < 4 * PAST_ONE_SLAB; i++) {
                assertThat(again.add(a.allocate(SIZE))).as("a block handed out twice").isTrue();
            }
            again.forEach(a::free);
        }
    }

    private static void freeAllCountingWins(SharedPoolAllocator a, long[] blocks, AtomicIntegerArray wins) {
        for (int i = 0; i < blocks.length; i++) {
            try {
                a.free(blocks[i]);
                wins.incrementAndGet(i);
            } catch (InvalidFreeException e) {
                assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
            }
        }
    }

    @Test
    void a_double_free_in_a_slab_that_started_shared_is_caught_whichever_thread_frees_second() throws Exception {
        try (SharedPoolAllocator a = allocator()) {
            long[] more = pastOneSlabAfterARemoteFree(a);
            long ownerFirst = more[more.length - 1];
            long remoteFirst = more[more.length - 2];

            a.free(ownerFirst);
            boolean caught = onThreadThatEnds(() -> {
                try {
                    a.free(ownerFirst);
                    return false;
                } catch (InvalidFreeException e) {
                    return e.kind() == InvalidFreeException.Kind.DOUBLE_FREE;
                }
            });
            assertThat(caught).as("the remote thread's second free").isTrue();

            runOnThreadThatEnds(() -> a.free(remoteFirst));
            assertThatThrownBy(() -> a.free(remoteFirst)).isInstanceOfSatisfying(InvalidFreeException.class,
                    e -> assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE));

            for (int i = 0; i < more.length - 2; i++) {
                a.free(more[i]);
            }
            assertThat(a.stats().get(Stat.LIVE_BYTES)).isZero();
            if (Os.BARRIER_AVAILABLE) {
                assertThat(a.stats().get(Stat.SYSCALL_MEMBARRIER)).as("the later slab started shared").isEqualTo(1);
            }
        }
    }
}
