package dev.slabworks.sharedpool;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Kernel;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.testkit.contract.ForwardingKernel;
import dev.slabworks.testkit.contract.HeldRemoteFrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CountDownLatch;

import static dev.slabworks.testkit.contract.ThreadExitScenarios.runOnThreadThatEnds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code fc.remote}: a thread that frees another heap's block holds it in its own front cache until it gives it back. */
class HeldRemoteFreeTest {

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void the_freeing_thread_hands_a_remotely_freed_block_out_again_only_when_it_holds_it(boolean held)
            throws Exception {
        try (SharedPoolAllocator a = new SharedPoolAllocator(Knobs.defaults().with(Knob.FC_REMOTE, held ? 32 : 0))) {
            HeldRemoteFrees.theFreeingThreadHandsTheBlockOutAgainOnlyWhenItHoldsIt(a, held);
        }
    }

    @Test
    void the_freeing_thread_holds_no_more_blocks_of_a_class_than_fc_remote() throws Exception {
        try (SharedPoolAllocator a = new SharedPoolAllocator(Knobs.defaults().with(Knob.FC_REMOTE, 2))) {
            HeldRemoteFrees.theFreeingThreadHoldsNoMoreBlocksOfAClassThanTheBound(a);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void a_second_free_of_a_remotely_freed_block_is_a_double_free_on_either_thread(boolean held) throws Exception {
        try (SharedPoolAllocator a = new SharedPoolAllocator(Knobs.defaults().with(Knob.FC_REMOTE, held ? 32 : 0))) {
            HeldRemoteFrees.aSecondFreeOfABlockAnotherThreadFreedIsADoubleFree(a);
        }
    }

    @Test
    void close_while_another_thread_hands_out_held_blocks_fails_those_calls_cleanly() throws Exception {
        HeldRemoteFrees.closeWhileAnotherThreadHandsOutHeldBlocksFailsThoseCallsCleanly(
                () -> new SharedPoolAllocator(Knobs.defaults().with(Knob.SS_PREWARM, 0)));
    }

    /**
     * 8: the freeing thread holds 8 blocks per class and its cache overflows, giving held blocks back in batches
     * while it frees; 256: it holds {@code fc.remote} (64) per class, sends the rest to the remote stack, and ends
     * holding them until its heap is reclaimed. Either way, once the owner has trimmed, every slab is empty: no block is
     * lost in a cache or a remote stack, and debug checks walk every slab on the way.
     */
    @ParameterizedTest
    @ValueSource(ints = {8, 256})
    void held_blocks_go_back_to_their_slabs_when_the_holder_overflows_and_when_it_ends(int frontCapacity)
            throws Exception {
        try (SharedPoolAllocator a = new SharedPoolAllocator(Knobs.defaults().with(Knob.FC_CAP, frontCapacity)
                .with(Knob.FC_REFILL, 4).with(Knob.SS_SIZE, "256KiB").with(Knob.DEBUG_CHECKS, true))) {
            long[] sizes = {16, 48, 100, 1024};
            long[] blocks = new long[600];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = a.allocate(sizes[i % sizes.length]);
            }
            runOnThreadThatEnds(() -> {
                for (long p : blocks) {
                    a.free(p);
                }
            });
            assertThat(a.stats().get(Stat.REMOTE_FREES)).isEqualTo(blocks.length);

            a.trim(); // reclaims the ended thread's heap (its cache goes back) and collects the remote stacks

            for (SharedSuperSlab ss : a.superSlabs()) {
                for (Slab s : ss.slabs) {
                    assertThat(s == null ? 0 : s.used()).as("blocks out of %s", s).isZero();
                }
            }
            a.pool().checkInvariants();
        }
    }

    /**
     * A heap's table of known SuperSlabs keeps an entry after its SuperSlab is unmapped (a ghost). When the kernel
     * maps a new SuperSlab at that address for another heap, and this heap then holds and flushes blocks of it, the
     * flush must find the new SuperSlab's slab, not the ghost's ({@link ThreadHeap} {@code slotOf}).
     */
    @Test
    void held_blocks_of_a_superslab_mapped_where_a_known_one_was_unmapped_go_back_to_the_new_one() throws Exception {
        Kernel reuse = new ReusingKernel();
        try (SharedPoolAllocator a = new SharedPoolAllocator(Knobs.defaults().with(Knob.SS_SIZE, "256KiB")
                .with(Knob.SS_LRU_SIZE, 0).with(Knob.SS_PREWARM, 0).with(Knob.FC_CAP, 8).with(Knob.FC_REFILL, 4)
                .with(Knob.PURGE_DELAY_MS, 0), new Os(reuse))) {
            long first = a.allocate(48); // this thread's heap now knows the SuperSlab
            long base = a.superSlabs().getFirst().start;
            a.free(first);
            a.trim(); // the SuperSlab empties and, with no LRU, is unmapped: a ghost in the table
            assertThat(a.superSlabs()).isEmpty();

            CountDownLatch allocated = new CountDownLatch(1);
            CountDownLatch flushed = new CountDownLatch(1);
            long[] theirs = new long[6];
            Thread owner = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < theirs.length; i++) {
                    theirs[i] = a.allocate(48);
                }
                allocated.countDown();
                await(flushed); // alive while the other thread holds and flushes its blocks
                a.trim(); // collects them: the SuperSlab empties and is unmapped
            });
            allocated.await();
            boolean reused = a.superSlabs().getFirst().start == base;
            for (long p : theirs) {
                a.free(p); // held: the owner is alive
            }
            a.trim(); // the flush gives them back: to the new SuperSlab's slab, not the ghost's
            flushed.countDown();
            owner.join();

            assumeTrue(reused, "the kernel mapped the new SuperSlab elsewhere");
            assertThat(a.superSlabs()).as("every block came back, so the SuperSlab was unmapped").isEmpty();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks for the next mapping where the last large one was unmapped, as the kernel often does by itself with a
     * hole just freed (the workbench's own hints never go back).
     */
    private static final class ReusingKernel extends ForwardingKernel {
        private long hole;

        @Override
        public synchronized long mmap(long hint, long length) {
            long at = hole != 0 ? hole : hint;
            hole = 0;
            return super.mmap(at, length);
        }

        @Override
        public synchronized int munmap(long address, long length) {
            int r = super.munmap(address, length);
            if (r == 0 && length >= 128 << 10) {
                hole = address;
            }
            return r;
        }
    }
}
