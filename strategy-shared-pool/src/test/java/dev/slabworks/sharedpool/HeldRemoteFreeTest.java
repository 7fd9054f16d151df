package dev.slabworks.sharedpool;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.testkit.contract.HeldRemoteFrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.slabworks.testkit.contract.ThreadExitScenarios.runOnThreadThatEnds;
import static org.assertj.core.api.Assertions.assertThat;

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
     * while it frees; 256: it holds {@code fc.remote} (32) per class, sends the rest to the remote stack, and ends
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
}
