package dev.slabworks.superslab;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stat;
import org.junit.jupiter.api.Test;

import static dev.slabworks.testkit.contract.ThreadExitScenarios.onThreadThatEnds;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.runOnThreadThatEnds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A SuperSlab starts shared (no handshake for its first remote free, a CAS on every owner free) only on evidence: its
 * heap has had a free from another thread, or a new heap's registry says the heap of an ended thread reclaimed last
 * had one (thread churn whose successors free what their predecessors allocated, as on larson).
 */
class SuperSlabSharedFromTheStartTest {
    /** Two sizes of different classes: each takes a SuperSlab of its own. */
    private static final long SMALL = 64;
    private static final long LARGE = 1024;

    /** No LRU: an emptied SuperSlab is unmapped, so every one a heap takes is new and carries no history. */
    private static SuperSlabAllocator allocator(boolean startShared) {
        return new SuperSlabAllocator(Knobs.defaults().with(Knob.SLAB_START_SHARED, startShared)
                .with(Knob.SS_LRU_SIZE, 0).with(Knob.SS_PREWARM, 0).with(Knob.DEBUG_CHECKS, true));
    }

    private static long handshakes(SuperSlabAllocator a) {
        return a.stats().get(Stat.SYSCALL_MEMBARRIER);
    }

    /** A thread allocates and ends; the calling thread frees its block (into an ended heap) and reclaims that heap. */
    private static void reclaimAnEndedHeapFreedInto(SuperSlabAllocator a) throws InterruptedException {
        long left = onThreadThatEnds(() -> a.allocate(SMALL));
        a.free(left); // into the heap of an ended thread: a handshake, and that heap was freed into
        a.trim(); // reclaims it
    }

    /** A new thread's heap takes a SuperSlab for a LARGE block and ends; the calling thread frees the block. */
    private static void freeTheFirstBlockOfANewHeap(SuperSlabAllocator a) throws InterruptedException {
        long fromNewHeap = onThreadThatEnds(() -> a.allocate(LARGE));
        a.free(fromNewHeap);
    }

    @Test
    void once_another_thread_freed_into_a_heaps_superslab_the_heaps_next_superslabs_need_no_handshake() throws Exception {
        assumeTrue(Os.BARRIER_AVAILABLE, "membarrier is not available here");
        try (SuperSlabAllocator a = allocator(true)) {
            long first = a.allocate(SMALL);
            runOnThreadThatEnds(() -> a.free(first));
            assertThat(handshakes(a)).as("the first remote free's handshake").isEqualTo(1);

            long later = a.allocate(LARGE); // a new SuperSlab, taken after the evidence
            runOnThreadThatEnds(() -> a.free(later));

            assertThat(handshakes(a)).as("no handshake for a SuperSlab that started shared").isEqualTo(1);
            assertThat(a.stats().get(Stat.REMOTE_FREES)).isEqualTo(2);
        }
    }

    @Test
    void a_new_heap_starts_shared_when_the_ended_heap_reclaimed_last_had_frees_from_other_threads() throws Exception {
        assumeTrue(Os.BARRIER_AVAILABLE, "membarrier is not available here");
        try (SuperSlabAllocator a = allocator(true)) {
            reclaimAnEndedHeapFreedInto(a);
            assertThat(handshakes(a)).isEqualTo(1);

            freeTheFirstBlockOfANewHeap(a);

            assertThat(handshakes(a)).as("the new heap's SuperSlab started shared").isEqualTo(1);
        }
    }

    @Test
    void a_superslab_taken_again_from_the_lru_starts_shared_when_its_last_slab_had_frees_from_other_threads()
            throws Exception {
        assumeTrue(Os.BARRIER_AVAILABLE, "membarrier is not available here");
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.SS_PREWARM, 0))) {
            long left = onThreadThatEnds(() -> a.allocate(SMALL));
            a.free(left); // a handshake; the SuperSlab empties
            runOnThreadThatEnds(a::trim); // an ended thread reclaims the heap, whose SuperSlab goes to the LRU
            assertThat(a.lruLength()).isEqualTo(1);
            assertThat(handshakes(a)).isEqualTo(1);

            long again = a.allocate(LARGE); // this heap was never freed into: only the SuperSlab's history counts
            assertThat(a.lruLength()).as("the SuperSlab was taken again").isZero();
            runOnThreadThatEnds(() -> a.free(again));

            assertThat(handshakes(a)).as("no handshake for a SuperSlab whose last slab was freed into").isEqualTo(1);
        }
    }

    @Test
    void a_new_heap_starts_private_when_nobody_freed_into_the_ended_heap_reclaimed_last() throws Exception {
        assumeTrue(Os.BARRIER_AVAILABLE, "membarrier is not available here");
        try (SuperSlabAllocator a = allocator(true)) {
            reclaimAnEndedHeapFreedInto(a); // the heap reclaimed first was freed into...
            runOnThreadThatEnds(() -> a.free(a.allocate(SMALL))); // ...the one reclaimed last was not
            a.trim();
            assertThat(handshakes(a)).isEqualTo(1);

            freeTheFirstBlockOfANewHeap(a);

            assertThat(handshakes(a)).as("a private SuperSlab's first remote free waits").isEqualTo(2);
        }
    }

    @Test
    void with_slab_start_shared_off_every_superslab_starts_private_and_its_first_remote_free_waits() throws Exception {
        assumeTrue(Os.BARRIER_AVAILABLE, "membarrier is not available here");
        try (SuperSlabAllocator a = allocator(false)) {
            reclaimAnEndedHeapFreedInto(a);
            freeTheFirstBlockOfANewHeap(a);
            long first = a.allocate(SMALL);
            runOnThreadThatEnds(() -> a.free(first));
            long later = a.allocate(2 * LARGE);
            runOnThreadThatEnds(() -> a.free(later));

            assertThat(handshakes(a)).as("one handshake per SuperSlab").isEqualTo(4);
        }
    }
}
