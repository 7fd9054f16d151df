package dev.slabworks.harness.ffm;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.ffm.AllocatorArena;
import dev.slabworks.api.ffm.AllocatorSegments;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.harness.testing.DirectOnlyModule;
import dev.slabworks.harness.wiring.Strategies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every strategy the wiring finds, used through plain {@code java.lang.foreign} code: as a {@link SegmentAllocator}
 * ({@link AllocatorSegments}) and as an {@link Arena} ({@link AllocatorArena}).
 */
class StrategiesAsFfmAllocatorsTest {
    /** The real strategies: not the test-only reference allocator, whose views outlive it (it keeps no lifecycle). */
    static List<AllocatorFactory> strategies() {
        return Strategies.factories(Strategies.injector()).values().stream()
                .filter(f -> !f.name().equals(DirectOnlyModule.NAME)).toList();
    }

    private static long live(Allocator a) {
        return a.stats().get(Stat.ALLOCATIONS) - a.stats().get(Stat.FREES);
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void a_segment_holds_exactly_the_bytes_asked_for(AllocatorFactory factory) {
        try (Allocator a = factory.create(Knobs.defaults())) {
            AllocatorSegments segments = AllocatorSegments.of(a);
            for (long size : new long[] {0, 1, 100, 4096, 40_000}) {
                MemorySegment s = segments.allocate(size);
                assertThat(s.byteSize()).isEqualTo(size);
                if (size > 0) {
                    s.set(ValueLayout.JAVA_BYTE, size - 1, (byte) 7);
                }
                assertThatThrownBy(() -> s.get(ValueLayout.JAVA_BYTE, size)).isInstanceOf(IndexOutOfBoundsException.class);
                segments.free(s);
            }
            assertThat(live(a)).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void layouts_aligned_beyond_sixteen_bytes_get_aligned_segments_that_free_their_whole_block(AllocatorFactory factory) {
        try (Allocator a = factory.create(Knobs.defaults())) {
            AllocatorSegments segments = AllocatorSegments.of(a);
            List<MemorySegment> live = new ArrayList<>();
            for (long alignment : new long[] {1, 8, 16, 32, 64, 256, 4096, 1 << 16}) {
                for (long size : new long[] {8, 24, 1000, 70_000}) {
                    MemorySegment s = segments.allocate(MemoryLayout.sequenceLayout(size, ValueLayout.JAVA_BYTE)
                            .withByteAlignment(alignment));
                    assertThat(s.address() % alignment).as("alignment %d, size %d", alignment, size).isZero();
                    assertThat(s.byteSize()).isEqualTo(size);
                    s.fill((byte) live.size());
                    live.add(s);
                }
            }
            for (int i = 0; i < live.size(); i++) { // each kept its own fill: no segment overlapped another
                MemorySegment s = live.get(i);
                byte fill = (byte) i;
                assertThat(s.elements(ValueLayout.JAVA_BYTE).allMatch(b -> b.get(ValueLayout.JAVA_BYTE, 0) == fill))
                        .as("segment %d at 0x%x kept its fill", i, s.address()).isTrue();
                segments.free(s);
            }
            assertThat(live(a)).as("every block freed, padded ones included").isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void an_adapter_segment_freed_twice_or_sliced_is_rejected_by_the_allocator(AllocatorFactory factory) {
        try (Allocator a = factory.create(Knobs.defaults())) {
            AllocatorSegments segments = AllocatorSegments.of(a);
            MemorySegment s = segments.allocate(256);
            assertThatThrownBy(() -> segments.free(s.asSlice(16))).isInstanceOf(InvalidFreeException.class)
                    .extracting(e -> ((InvalidFreeException) e).kind()).isEqualTo(InvalidFreeException.Kind.INTERIOR);
            segments.free(s);
            assertThatThrownBy(() -> segments.free(s)).isInstanceOf(InvalidFreeException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void an_adapter_segment_used_after_its_allocator_closed_fails_cleanly(AllocatorFactory factory) {
        Allocator a = factory.create(Knobs.defaults());
        MemorySegment small = AllocatorSegments.of(a).allocate(64);
        MemorySegment aligned = AllocatorSegments.of(a).allocate(64, 4096);
        small.set(ValueLayout.JAVA_LONG, 0, 1);
        a.close();
        assertThatThrownBy(() -> small.get(ValueLayout.JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> aligned.get(ValueLayout.JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void plain_ffm_code_runs_on_an_arena_and_its_close_frees_every_block(AllocatorFactory factory) {
        try (Allocator a = factory.create(Knobs.defaults())) {
            MemorySegment ints;
            MemorySegment text;
            try (Arena arena = AllocatorArena.ofConfined(a)) {
                ints = arena.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3, 4);
                text = arena.allocateFrom("slabworks");
                MemorySegment big = arena.allocate(MemoryLayout.sequenceLayout(10_000, ValueLayout.JAVA_LONG));
                MemorySegment page = arena.allocate(100, 4096);
                assertThat(ints.toArray(ValueLayout.JAVA_INT)).containsExactly(1, 2, 3, 4);
                assertThat(text.getString(0)).isEqualTo("slabworks");
                assertThat(page.address() % 4096).isZero();
                big.setAtIndex(ValueLayout.JAVA_LONG, 9_999, 42);
                assertThatThrownBy(() -> big.getAtIndex(ValueLayout.JAVA_LONG, 10_000)).isInstanceOf(IndexOutOfBoundsException.class);
                assertThat(live(a)).isEqualTo(4);
                assertThat(ints.scope()).isEqualTo(arena.scope());
            }
            assertThat(live(a)).as("blocks left after the arena closed").isZero();
            assertThat(ints.scope().isAlive()).isFalse();
            assertThatThrownBy(() -> ints.get(ValueLayout.JAVA_INT, 0)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> text.getString(0)).isInstanceOf(IllegalStateException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void a_closed_arena_refuses_to_allocate_or_close_again_and_frees_nothing_more(AllocatorFactory factory) {
        try (Allocator a = factory.create(Knobs.defaults())) {
            AllocatorArena arena = AllocatorArena.ofConfined(a);
            arena.allocate(32);
            arena.close();
            long frees = a.stats().get(Stat.FREES);
            assertThatThrownBy(() -> arena.allocate(32)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(arena::close).isInstanceOf(IllegalStateException.class);
            assertThat(a.stats().get(Stat.FREES)).isEqualTo(frees);
            assertThat(live(a)).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void a_confined_arena_is_allocated_from_and_closed_by_its_creating_thread_alone(AllocatorFactory factory)
            throws Exception {
        try (Allocator a = factory.create(Knobs.defaults()); AllocatorArena arena = AllocatorArena.ofConfined(a)) {
            MemorySegment s = arena.allocate(64);
            s.set(ValueLayout.JAVA_BYTE, 0, (byte) 7);
            List<Throwable> seen = new ArrayList<>();
            byte[] read = new byte[1];
            Thread t = Thread.ofPlatform().start(() -> {
                read[0] = s.get(ValueLayout.JAVA_BYTE, 0); // readable anywhere: a shared scope underneath
                for (Runnable r : List.<Runnable>of(() -> arena.allocate(16), arena::close)) {
                    try {
                        r.run();
                    } catch (Throwable e) {
                        seen.add(e);
                    }
                }
            });
            t.join();
            assertThat(read[0]).isEqualTo((byte) 7);
            assertThat(seen).hasSize(2).allMatch(e -> e instanceof WrongThreadException);
            assertThat(arena.blocks()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void an_arenas_segments_throw_rather_than_read_memory_its_allocator_unmapped(AllocatorFactory factory) {
        Allocator a = factory.create(Knobs.defaults());
        AllocatorArena arena = AllocatorArena.ofConfined(a);
        MemorySegment small = arena.allocate(64);
        MemorySegment big = arena.allocate(1 << 20);
        big.set(ValueLayout.JAVA_LONG, 8, 42L);
        a.close();
        assertThatThrownBy(() -> small.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> big.get(ValueLayout.JAVA_LONG, 8)).isInstanceOf(IllegalStateException.class);
        arena.close();
        assertThatThrownBy(arena::close).as("closed twice").isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void an_arena_takes_blocks_of_every_path_and_closing_the_allocator_first_makes_all_their_segments_throw(
            AllocatorFactory factory) {
        Allocator a = factory.create(Knobs.defaults().with(Knob.SMALL_MAX, 1023)); // mid blocks where a strategy has them
        AllocatorArena arena = AllocatorArena.ofShared(a);
        List<MemorySegment> segments = new ArrayList<>();
        for (long size : new long[] {64, 2000, 20_000, 1 << 20}) {
            MemorySegment s = arena.allocate(size);
            s.set(ValueLayout.JAVA_BYTE, size - 1, (byte) 1);
            segments.add(s);
        }
        a.close();
        for (MemorySegment s : segments) {
            assertThatThrownBy(() -> s.get(ValueLayout.JAVA_BYTE, 0)).as(s.byteSize() + " bytes")
                    .isInstanceOf(IllegalStateException.class);
        }
        arena.close();
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void only_a_shared_scope_can_be_bound_to_an_allocators_memory(AllocatorFactory factory) {
        try (Allocator a = factory.create(Knobs.defaults()); Arena confined = Arena.ofConfined()) {
            long p = a.allocate(64);
            assertThatThrownBy(() -> a.bindScope(p, confined)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shared");
            a.free(p);
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void a_block_freed_behind_the_arenas_back_and_unmapped_makes_its_segments_throw(AllocatorFactory factory) {
        Knobs nothingKept = Knobs.defaults().with(Knob.DIRECT_CACHE_COUNT, 0);
        try (Allocator a = factory.create(nothingKept)) {
            AllocatorArena arena = AllocatorArena.ofConfined(a);
            MemorySegment big = arena.allocate(1 << 20);
            a.free(big.address()); // misuse: the arena still holds it
            assertThatThrownBy(() -> big.get(ValueLayout.JAVA_LONG, 8)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(arena::close).as("the block freed behind its back is reported")
                    .isInstanceOf(dev.slabworks.api.InvalidFreeException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void a_shared_arena_takes_blocks_from_many_threads_and_frees_them_all(AllocatorFactory factory) throws Exception {
        try (Allocator a = factory.create(Knobs.defaults())) {
            AllocatorArena arena = AllocatorArena.ofShared(a);
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long value = i;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        for (int j = 0; j < 500; j++) {
                            arena.allocate(ValueLayout.JAVA_LONG).set(ValueLayout.JAVA_LONG, 0, value);
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(arena.blocks()).isEqualTo(2000);
            arena.close();
            assertThat(live(a)).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void an_arena_closed_after_its_allocator_throws_nothing(AllocatorFactory factory) {
        Allocator a = factory.create(Knobs.defaults());
        AllocatorArena arena = AllocatorArena.ofConfined(a);
        arena.allocate(64);
        arena.allocate(1 << 20);
        a.close();
        arena.close();
        assertThat(a.stats().get(Stat.MAPPED_BYTES)).isZero();
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void bad_sizes_and_alignments_are_refused_before_a_block_is_taken(AllocatorFactory factory) {
        try (Allocator a = factory.create(Knobs.defaults()); AllocatorArena arena = AllocatorArena.ofConfined(a)) {
            SegmentAllocator segments = AllocatorSegments.of(a);
            for (SegmentAllocator s : List.of(segments, arena)) {
                assertThatThrownBy(() -> s.allocate(-1, 8)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> s.allocate(8, 3)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> s.allocate(8, 0)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(a.stats().get(Stat.ALLOCATIONS)).isZero();
            assertThat(arena.blocks()).isZero();
        }
    }
}
