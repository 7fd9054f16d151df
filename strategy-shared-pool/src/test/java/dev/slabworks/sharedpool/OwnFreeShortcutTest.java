package dev.slabworks.sharedpool;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Free's short cut past the RegionMap (REGISTRY mode: the table of slabs the caller's heap owns, by slab
 * number) answers only for the caller's own slabs; anything else takes the validator's path and gets the
 * same answer as without the short cut.
 */
class OwnFreeShortcutTest {
    private static final Knobs BASE = Knobs.defaults().with(Knob.SS_SIZE, "256KiB").with(Knob.SS_PREWARM, 0)
            .with(Knob.DEBUG_CHECKS, true).with(Knob.PURGE_DELAY_MS, -1);

    @Test
    void a_block_of_another_threads_slab_in_the_callers_superslab_is_freed_remotely() throws Exception {
        try (SharedPoolAllocator a = new SharedPoolAllocator(BASE)) {
            long mine = a.allocate(64);
            AtomicLong theirs = new AtomicLong();
            Thread t = Thread.ofPlatform().start(() -> theirs.set(a.allocate(64)));
            t.join();
            SharedSuperSlab ss = a.superSlabs().getFirst();
            assertThat(ss.contains(mine)).isTrue();
            assertThat(ss.contains(theirs.get())).as("fullest first: the same SuperSlab").isTrue();
            a.free(theirs.get());
            assertThat(a.stats().get(Stat.REMOTE_FREES)).isEqualTo(1);
            a.free(mine);
            assertThat(a.stats().get(Stat.REMOTE_FREES)).isEqualTo(1);
            InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(mine));
            assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
        }
    }

    @Test
    void a_free_into_the_callers_last_superslab_after_it_was_unmapped_is_foreign() {
        try (SharedPoolAllocator a = new SharedPoolAllocator(BASE.with(Knob.SS_LRU_SIZE, 0))) {
            long p = a.allocate(100);
            a.free(p);
            a.trim(); // the slab goes back, its SuperSlab empties and, with no LRU, is unmapped
            assertThat(a.superSlabs()).isEmpty();
            InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(p));
            assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.FOREIGN);
        }
    }

    /**
     * With the front cache on (2,048), the freed blocks wait there and the allocations after take them back: a block
     * of a slab whose table entry another took finds its slab through the heap's SuperSlab table or the RegionMap,
     * and is marked ALLOCATED there, so freeing it again is a valid free.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 2048})
    void own_slabs_that_share_an_entry_of_the_heaps_table_are_all_freed_locally_and_exactly_once(int frontCapacity) {
        // 16 KiB blocks, four to a 64 KiB slab: 1,200 blocks need 300 slabs, more than the table's 256 entries,
        // so at least two of them share one and their frees take the RegionMap's path in turn
        try (SharedPoolAllocator a = new SharedPoolAllocator(BASE.with(Knob.SS_SIZE, "2MiB")
                .with(Knob.FC_CAP, frontCapacity))) {
            long[] blocks = new long[1200];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = a.allocate(16 << 10);
            }
            assertThat(a.heap().slabsOwned()).isGreaterThan(256);
            for (long p : blocks) {
                a.free(p);
            }
            assertThat(a.stats().get(Stat.REMOTE_FREES)).isZero();
            for (long p : blocks) {
                InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(p));
                assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
            }
            Set<Long> again = new HashSet<>();
            for (int i = 0; i < blocks.length; i++) {
                assertThat(again.add(a.allocate(16 << 10))).as("handed out once").isTrue();
            }
            for (long p : again) {
                a.free(p); // each was marked ALLOCATED in its own slab
            }
            assertThat(a.stats().get(Stat.REMOTE_FREES)).isZero();
        }
    }
}
