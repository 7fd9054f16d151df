package dev.slabworks.segfit;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Where chunks come from and where they go: the current chunk, the queue of partly free ones, the pool, trim. */
class ChunkLifecycleTest {
    private static final long CHUNK = 64 << 10;
    /** 64-byte blocks of one 64 KiB chunk. */
    private static final int PER_CHUNK = (int) (CHUNK / 64);

    private static Allocator allocator(int emptyChunks) {
        return new SegregatedFitFactory().create(Knobs.defaults().with(SegregatedFitKnobs.CHUNK_SIZE, "64K")
                .with(SegregatedFitKnobs.EMPTY_CHUNKS, emptyChunks).with(Knob.DEBUG_CHECKS, true));
    }

    private static List<Long> allocate(Allocator a, int n, long size) {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            blocks.add(a.allocate(size));
        }
        return blocks;
    }

    private static long mmaps(Allocator a) {
        return a.stats().get(Stat.SYSCALL_MMAP);
    }

    @Test
    void a_class_fills_one_chunk_before_it_maps_the_next() {
        try (Allocator a = allocator(4)) {
            allocate(a, PER_CHUNK, 64);
            assertThat(mmaps(a)).isEqualTo(1);
            a.allocate(64);
            assertThat(mmaps(a)).isEqualTo(2);
            assertThat(a.stats().get(Stat.LRU_MISSES)).isEqualTo(2);
        }
    }

    @Test
    void a_full_chunk_that_gets_a_free_block_serves_the_class_again_before_a_new_mapping() {
        try (Allocator a = allocator(4)) {
            List<Long> first = allocate(a, PER_CHUNK, 64);
            allocate(a, PER_CHUNK, 64); // the second chunk is full too, and current
            a.free(first.get(7)); // the first chunk is queued
            long again = a.allocate(64);
            assertThat(again).isEqualTo(first.get(7));
            assertThat(mmaps(a)).isEqualTo(2);
        }
    }

    @Test
    void an_emptied_chunk_goes_to_the_pool_and_serves_another_class_without_a_mapping() {
        try (Allocator a = allocator(4)) {
            List<Long> first = allocate(a, PER_CHUNK, 64);
            allocate(a, 1, 64); // a second chunk becomes current
            first.forEach(a::free);
            assertThat(a.stats().get(Stat.SYSCALL_MUNMAP)).isZero();
            InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(first.get(3)));
            assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE); // pooled, still mapped
            long other = a.allocate(1000);
            assertThat(other).isBetween(first.getFirst() & -CHUNK, (first.getFirst() & -CHUNK) + CHUNK - 1);
            assertThat(mmaps(a)).isEqualTo(2);
            assertThat(a.stats().get(Stat.LRU_HITS)).isEqualTo(1);
        }
    }

    @Test
    void an_emptied_chunk_beyond_the_pool_is_unmapped_at_once() {
        try (Allocator a = allocator(0)) {
            List<Long> first = allocate(a, PER_CHUNK, 64);
            allocate(a, 1, 64);
            first.forEach(a::free);
            assertThat(a.stats().get(Stat.SYSCALL_MUNMAP)).isEqualTo(1);
            assertThat(a.stats().get(Stat.LRU_EVICTIONS)).isEqualTo(1);
            InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(first.get(3)));
            assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.FOREIGN);
        }
    }

    @Test
    void the_current_chunk_stays_mapped_when_it_empties_until_trim() {
        try (Allocator a = allocator(4)) {
            List<Long> blocks = allocate(a, 10, 64);
            blocks.forEach(a::free);
            assertThat(a.stats().get(Stat.MAPPINGS_LIVE)).isEqualTo(1);
            a.trim();
            assertThat(a.stats().get(Stat.MAPPINGS_LIVE)).isZero();
            assertThat(a.stats().get(Stat.SYSCALL_MUNMAP)).isEqualTo(1);
            a.free(a.allocate(64)); // a new chunk after trim
            assertThat(mmaps(a)).isEqualTo(2);
        }
    }

    @Test
    void trim_unmaps_the_pool_and_leaves_live_blocks_alone() {
        try (Allocator a = allocator(4)) {
            List<Long> first = allocate(a, PER_CHUNK, 64);
            long live = a.allocate(64);
            first.forEach(a::free);
            a.trim();
            assertThat(a.stats().get(Stat.MAPPINGS_LIVE)).isEqualTo(1);
            assertThat(a.usableSize(live)).isEqualTo(64);
            a.free(live);
        }
    }
}
