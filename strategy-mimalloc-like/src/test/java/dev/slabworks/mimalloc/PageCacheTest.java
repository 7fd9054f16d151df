package dev.slabworks.mimalloc;

import static dev.slabworks.testkit.contract.ThreadExitScenarios.onThreadThatEnds;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.stats.Stat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The free fast path's page cache ({@link Heap#pageCache}): a free enters its page, a page given back
 * to the pool leaves it, an address that shares a cached page's slot without lying in the page is not
 * placed by it, and the heap of an ended thread keeps no page.
 */
class PageCacheTest {
    private static final Knobs DEBUG = Knobs.defaults().with(Knob.DEBUG_CHECKS, true);
    /** Addresses this far apart share a slot of the page cache. */
    private static final long WINDOW = (long) Heap.PAGE_CACHE << Heap.PAGE_CACHE_SHIFT;

    @Test
    void a_free_enters_its_page_in_the_calling_heaps_page_cache() {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(DEBUG)) {
            long keep = a.allocate(64);
            long p = a.allocate(64);
            Heap heap = a.callingHeap();
            Page before = heap.pageCache[Heap.pageSlot(p)];

            a.free(p);

            Page cached = heap.pageCache[Heap.pageSlot(p)];
            assertThat(before.size).as("nothing cached before the first free").isZero();
            assertThat(cached.owner).isSameAs(heap);
            assertThat(p - cached.start).isBetween(0L, cached.size - 1);
            a.free(keep);
            assertThat(a.stats().get(Stat.MINCORE_CACHE_HITS)).as("the second free was placed by the cache").isEqualTo(1);
            a.callingHeap().checkInvariants(true);
        }
    }

    @Test
    void a_page_given_back_to_the_pool_leaves_the_page_cache() {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(DEBUG)) {
            long first = a.allocate(48);
            Page page = a.callingHeap().current[dev.slabworks.api.sizeclass.SizeClasses.classOf(48)];
            // Fill the page, then take one block of the next, so the first page stops being current
            // and its last free gives it back to the pool.
            List<Long> blocks = new ArrayList<>(List.of(first));
            while (page.carved < page.capacity || page.free != Page.NONE) {
                blocks.add(a.allocate(48));
            }
            long other = a.allocate(48);
            assertThat(a.callingHeap().current[dev.slabworks.api.sizeclass.SizeClasses.classOf(48)]).isNotSameAs(page);
            Heap heap = a.callingHeap();

            for (long b : blocks.subList(0, blocks.size() - 1)) {
                a.free(b);
            }
            assertThat(heap.pageCache[Heap.pageSlot(first)]).isSameAs(page);
            a.free(blocks.getLast());

            assertThat(page.owner).as("retired").isNull();
            assertThat(heap.pageCache[Heap.pageSlot(first)]).isNotSameAs(page);
            assertThat(heap.pageCache[Heap.pageSlot(first)].size).isZero();
            a.free(other);
            a.callingHeap().checkInvariants(true);
        }
    }

    @Test
    void an_address_that_shares_a_cached_pages_slot_but_lies_outside_it_is_rejected_as_foreign() {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(DEBUG)) {
            long live = a.allocate(128);
            Memory.putLong(live, 0x5EED_5EEDL);
            long p = a.allocate(128);
            a.free(p); // caches the page
            Page cached = a.callingHeap().pageCache[Heap.pageSlot(p)];
            assertThat(a.pool().segmentCount()).isEqualTo(1);

            for (long alias : new long[] {p + WINDOW, p - WINDOW}) {
                assertThat(Heap.pageSlot(alias)).isEqualTo(Heap.pageSlot(p));
                assertThatThrownBy(() -> a.free(alias))
                        .isInstanceOfSatisfying(InvalidFreeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FOREIGN));
            }

            assertThat(a.callingHeap().pageCache[Heap.pageSlot(p)]).isSameAs(cached);
            assertThat(Memory.getLong(live)).isEqualTo(0x5EED_5EEDL);
            a.free(live);
            assertThat(a.stats().get(Stat.FREES)).isEqualTo(2);
            a.callingHeap().checkInvariants(true);
        }
    }

    @Test
    void a_double_free_and_an_interior_free_through_a_cached_page_are_rejected() {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(DEBUG)) {
            long live = a.allocate(256);
            long p = a.allocate(256);
            a.free(p);

            assertThatThrownBy(() -> a.free(p))
                    .isInstanceOfSatisfying(InvalidFreeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DOUBLE_FREE));
            assertThatThrownBy(() -> a.free(live + 16))
                    .isInstanceOfSatisfying(InvalidFreeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INTERIOR));

            a.free(live);
            assertThat(a.stats().get(Stat.LIVE_BYTES)).isZero();
            a.callingHeap().checkInvariants(true);
        }
    }

    @Test
    void the_heap_of_an_ended_thread_keeps_no_page_once_reclaimed() throws Exception {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(DEBUG)) {
            Heap dead = onThreadThatEnds(() -> {
                for (int i = 0; i < 1_000; i++) {
                    long keep = a.allocate(16 + i % 1000);
                    a.free(a.allocate(16 + i % 1000));
                    if (i % 2 == 0) {
                        a.free(keep);
                    }
                }
                return a.callingHeap();
            });
            assertThat(dead.pageCache).anySatisfy(p -> assertThat(p.size).isPositive());

            a.trim();

            assertThat(a.heapRegistry().reclaimed()).isEqualTo(1);
            assertThat(dead.pageCache).allSatisfy(p -> assertThat(p.size).isZero());
            assertThat(dead.knownSegments).containsOnlyNulls();
        }
    }
}
