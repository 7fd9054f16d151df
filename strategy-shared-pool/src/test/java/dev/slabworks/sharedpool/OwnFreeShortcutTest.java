package dev.slabworks.sharedpool;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Free's short cut past the RegionMap (REGISTRY mode: the caller's last SuperSlab, a slab its heap owns)
 * answers only for the caller's own slabs; anything else takes the validator's path and gets the same
 * answer as without the short cut.
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
}
