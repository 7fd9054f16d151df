package dev.slabworks.mimalloc;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.stats.Stat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pins the allocate fast path's swap (debug checks off, as in production): when a page's {@code free}
 * list is empty, its {@code localFree} list becomes the allocation list in place. Each locally freed
 * block comes back exactly once, live blocks are never handed out again, and a block that came back
 * through the swap is ALLOCATED again (a second free of it after one free is still caught).
 */
class LocalFreeSwapTest {

    @Test
    void locally_freed_blocks_come_back_once_each_through_the_swap_and_live_ones_never() {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(Knobs.defaults())) {
            int n = 64 << 10 / 64; // one 64 KiB page of 64-byte blocks
            List<Long> first = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                first.add(a.allocate(64)); // the page's free list is empty after this
            }
            Set<Long> live = new HashSet<>();
            Set<Long> freed = new HashSet<>();
            for (int i = 0; i < n; i++) {
                long p = first.get(i);
                if (i % 3 == 0) {
                    a.free(p); // onto localFree
                    freed.add(p);
                } else {
                    live.add(p);
                    Memory.putLong(p, p);
                }
            }
            long mmapBefore = a.stats().get(Stat.SYSCALL_MMAP);
            Set<Long> again = new HashSet<>();
            for (int i = 0; i < freed.size(); i++) {
                long p = a.allocate(64);
                assertThat(again.add(p)).as("handed out twice: %x", p).isTrue();
                assertThat(live).doesNotContain(p);
            }
            assertThat(again).isEqualTo(freed); // all of them, and only them, before any fresh block
            long fresh = a.allocate(64); // both lists empty now: a block from elsewhere
            assertThat(live).doesNotContain(fresh);
            assertThat(again).doesNotContain(fresh);
            a.free(fresh);
            assertThat(a.stats().get(Stat.SYSCALL_MMAP)).isEqualTo(mmapBefore);
            for (long p : live) {
                assertThat(Memory.getLong(p)).isEqualTo(p); // the swap wrote nothing into live blocks
            }
            long p = again.iterator().next();
            a.free(p);
            assertThatThrownBy(() -> a.free(p)).isInstanceOf(InvalidFreeException.class);
            for (long q : again) {
                if (q != p) {
                    a.free(q);
                }
            }
            for (long q : live) {
                a.free(q);
            }
            assertThat(a.stats().get(Stat.LIVE_BYTES)).isZero();
        }
    }
}
