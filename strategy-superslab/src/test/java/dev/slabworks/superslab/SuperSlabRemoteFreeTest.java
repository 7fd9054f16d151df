package dev.slabworks.superslab;

import static dev.slabworks.testkit.contract.ThreadExitScenarios.onThreadThatEnds;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.runOnThreadThatEnds;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.testkit.contract.HeldRemoteFrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Blocks freed by a thread that does not own their SuperSlab go to its remote stack, or are held by that thread's
 * front cache first ({@code fc.remote}), and come back to the owner.
 */
class SuperSlabRemoteFreeTest {

    /**
     * 0: no front cache; 8: the freeing thread holds 8 blocks and its cache overflows, giving held blocks back;
     * 256: it holds {@code fc.remote} (set to 32 here: the SuperSlab has 63 blocks) and sends the rest to the remote
     * stack. The thread ends holding blocks.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 8, 256})
    void remotely_freed_blocks_are_collected_by_the_owner_instead_of_mapping_more(int frontCapacity) throws Exception {
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.SS_SIZE, "64K")
                .with(Knob.SS_PREWARM, 0).with(Knob.FC_CAP, frontCapacity).with(Knob.FC_REMOTE, 32))) {
            int capacity = SuperSlab.capacity(64 << 10, dev.slabworks.api.sizeclass.SizeClasses.classOf(1024));
            long[] blocks = new long[capacity];
            for (int i = 0; i < capacity; i++) {
                blocks[i] = a.allocate(1024);
            }
            SuperSlab ss = a.superSlabOf(blocks[0]);
            for (long p : blocks) {
                assertThat(a.superSlabOf(p)).isSameAs(ss);
            }
            runOnThreadThatEnds(() -> {
                for (long p : blocks) {
                    a.free(p);
                }
                InvalidFreeException twice = catchThrowableOfType(InvalidFreeException.class, () -> a.free(blocks[0]));
                assertThat(twice.kind()).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
            });
            assertThat(a.stats().get(Stat.REMOTE_FREES)).isEqualTo(capacity);
            assertThat(a.stats().get(Stat.INVALID_FREE_DOUBLE)).isEqualTo(1);
            long superSlabs = a.stats().get(Stat.SUPERSLABS);
            Set<Long> again = new HashSet<>();
            for (int i = 0; i < capacity; i++) {
                again.add(a.allocate(1024));
            }
            assertThat(again).as("the owner got its blocks back").containsExactlyInAnyOrder(boxed(blocks));
            assertThat(a.stats().get(Stat.SUPERSLABS)).isEqualTo(superSlabs);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 256})
    void a_block_freed_remotely_while_still_owned_cannot_be_freed_again_by_its_owner(int frontCapacity) throws Exception {
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.FC_CAP, frontCapacity))) {
            long p = a.allocate(48);
            long keep = a.allocate(48);
            runOnThreadThatEnds(() -> a.free(p));
            InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(p));
            assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
            assertThat(catchThrowableOfType(InvalidFreeException.class, () -> a.usableSize(p)).kind())
                    .isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
            a.free(keep);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void the_freeing_thread_hands_a_remotely_freed_block_out_again_only_when_it_holds_it(boolean held)
            throws Exception {
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.FC_REMOTE, held ? 32 : 0))) {
            HeldRemoteFrees.theFreeingThreadHandsTheBlockOutAgainOnlyWhenItHoldsIt(a, held);
        }
    }

    /**
     * A live thread adopts the SuperSlab of an ended one (its trim reclaims that heap); then the calling thread frees a
     * block of it and a block of the live thread's own SuperSlab: only the second is held (FREE, in the caller's front
     * cache), the first goes back to its slab's remote stack (REMOTE), so blocks of adopted SuperSlabs do not circulate
     * through the threads that inherited the ended one's work.
     */
    @Test
    void a_block_of_a_superslab_adopted_from_an_ended_heap_goes_back_to_its_slab_not_into_the_freeing_threads_cache()
            throws Exception {
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults())) {
            long[] left = onThreadThatEnds(() -> new long[] {a.allocate(64), a.allocate(64)});
            long[] own = new long[1];
            CountDownLatch adopted = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            Thread adopter = Thread.ofPlatform().start(() -> {
                a.trim(); // reclaims the ended heap: its non-empty SuperSlab is adopted by this thread's heap
                own[0] = a.allocate(1024);
                adopted.countDown();
                try {
                    done.await(); // stays alive: its blocks may be held by other threads
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                adopted.await();
                assertThat(a.superSlabOf(left[0]).adopted).as("adopted").isTrue();
                a.free(left[0]);
                a.free(own[0]);

                assertThat(stateOf(a, left[0])).as("a block of the adopted SuperSlab").isEqualTo(Slab.REMOTE);
                assertThat(stateOf(a, own[0])).as("a block of the live thread's own SuperSlab, held").isEqualTo(Slab.FREE);
                assertThat(a.stats().get(Stat.REMOTE_FREES)).isEqualTo(2);
            } finally {
                done.countDown();
                adopter.join();
            }
            a.free(left[1]);
        }
    }

    @Test
    void a_superslab_formatted_again_after_its_adoption_lets_the_freeing_thread_hold_its_blocks_again() throws Exception {
        ExecutorService live = Executors.newSingleThreadExecutor(); // one thread, alive throughout
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults())) {
            long left = onThreadThatEnds(() -> a.allocate(64));
            live.submit(a::trim).get(); // adopts the ended heap's SuperSlab
            SuperSlab adopted = a.superSlabOf(left);
            assertThat(adopted.adopted).isTrue();
            a.free(left); // to the remote stack
            live.submit(a::trim).get(); // collects it: the SuperSlab empties and goes to the LRU

            long again = live.submit(() -> a.allocate(64)).get(); // the LRU's newest, formatted afresh

            assertThat(a.superSlabOf(again)).isSameAs(adopted);
            assertThat(adopted.adopted).isFalse();
            a.free(again);
            assertThat(stateOf(a, again)).as("held by the freeing thread").isEqualTo(Slab.FREE);
        } finally {
            live.shutdown();
        }
    }

    private static byte stateOf(SuperSlabAllocator a, long address) {
        Slab s = a.superSlabOf(address).slab();
        return s.state(s.blockAt(address));
    }

    @Test
    void the_freeing_thread_holds_no_more_blocks_of_a_class_than_fc_remote() throws Exception {
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.FC_REMOTE, 2))) {
            HeldRemoteFrees.theFreeingThreadHoldsNoMoreBlocksOfAClassThanTheBound(a);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void a_second_free_of_a_remotely_freed_block_is_a_double_free_on_either_thread(boolean held) throws Exception {
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.FC_REMOTE, held ? 32 : 0))) {
            HeldRemoteFrees.aSecondFreeOfABlockAnotherThreadFreedIsADoubleFree(a);
        }
    }

    @Test
    void close_while_another_thread_hands_out_held_blocks_fails_those_calls_cleanly() throws Exception {
        HeldRemoteFrees.closeWhileAnotherThreadHandsOutHeldBlocksFailsThoseCallsCleanly(
                () -> new SuperSlabAllocator(Knobs.defaults().with(Knob.SS_PREWARM, 0)));
    }

    private static Long[] boxed(long[] values) {
        Long[] out = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
