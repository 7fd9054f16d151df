package dev.slabworks.sharedpool;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Slabs assigned to classes, returned when empty, shared across classes, and freed from other threads. */
class SlabLifecycleTest {
    private static final Knobs BASE = Knobs.defaults().with(Knob.SS_SIZE, "256KiB").with(Knob.DEBUG_CHECKS, "true")
            .with(Knob.PURGE_DELAY_MS, "-1");

    @Test
    void one_superslab_serves_many_size_classes() {
        try (SharedPoolAllocator a = new SharedPoolAllocator(BASE.with(Knob.SS_SIZE, "2MiB"))) {
            Set<Integer> classes = new HashSet<>();
            Set<SharedSuperSlab> superSlabs = new HashSet<>();
            for (long size = 16; size <= 4096; size *= 2) {
                long p = a.allocate(size);
                classes.add(SizeClasses.classOf(size));
                superSlabs.add((SharedSuperSlab) a.pool().mappedSuperSlabs().stream()
                        .filter(ss -> ss.contains(p)).findFirst().orElseThrow());
            }
            assertThat(classes).hasSize(9);
            assertThat(superSlabs).hasSize(1);
            assertThat(a.stats().get(Stat.SLABS_ASSIGNED)).isEqualTo(9);
        }
    }

    @Test
    void prewarm_maps_no_more_superslabs_than_the_lru_holds() {
        try (SharedPoolAllocator a = new SharedPoolAllocator(BASE.with(Knob.SS_LRU_SIZE, 2).with(Knob.SS_PREWARM, 5))) {
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.PREWARMED)).isEqualTo(2);
            assertThat(s.get(Stat.SUPERSLABS)).isEqualTo(2);
            assertThat(a.pool().lruSize()).isEqualTo(2);
        }
        try (SharedPoolAllocator a = new SharedPoolAllocator(BASE.with(Knob.SS_LRU_SIZE, 0).with(Knob.SS_PREWARM, 5))) {
            assertThat(a.stats().get(Stat.PREWARMED)).isZero();
            assertThat(a.stats().get(Stat.SYSCALL_MMAP)).isZero();
        }
    }

    @Test
    void empty_slabs_go_back_and_their_superslab_empties_into_the_lru() {
        try (SharedPoolAllocator a = new SharedPoolAllocator(BASE.with(Knob.FC_CAP, "0"))) {
            int perSlab = (64 << 10) / 1024;
            long[] blocks = new long[perSlab * 6]; // six slabs: two SuperSlabs of four
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = a.allocate(1024);
            }
            assertThat(a.stats().get(Stat.SLABS_ASSIGNED)).isEqualTo(6);
            for (long b : blocks) {
                a.free(b);
            }
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.SLABS_RETURNED)).isEqualTo(5); // the current slab stays with the thread
            assertThat(a.heap().slabsOwned()).isEqualTo(1);
            a.trim();
            assertThat(a.stats().get(Stat.SLABS_RETURNED)).isEqualTo(6);
            assertThat(a.heap().slabsOwned()).isZero();
            for (SharedSuperSlab ss : a.superSlabs()) {
                assertThat(a.pool().inLru(ss)).isTrue();
            }
            a.pool().checkInvariants();
        }
    }

    @Test
    void a_free_into_a_returned_slab_is_a_double_free_and_into_an_unused_slab_is_interior() {
        try (SharedPoolAllocator a = new SharedPoolAllocator(BASE.with(Knob.FC_CAP, "0"))) {
            long keep = a.allocate(64); // keeps the SuperSlab in use
            long p = a.allocate(2000);
            a.free(p);
            a.trim(); // the 2000-byte class's slab goes back as a ghost
            InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(p));
            assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
            SharedSuperSlab ss = a.superSlabs().stream().filter(s -> s.contains(keep)).findFirst().orElseThrow();
            long unused = ss.slabBase(ss.slotCount() - 1);
            assertThat(ss.slabs[ss.slotCount() - 1]).isNull();
            e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(unused));
            assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.INTERIOR);
            a.free(keep);
        }
    }

    @Test
    void blocks_freed_by_another_thread_come_back_to_the_owner_and_its_slabs_return() throws Exception {
        try (SharedPoolAllocator a = new SharedPoolAllocator(BASE)) {
            long[] blocks = new long[10_000];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = a.allocate(16 + (i % 32) * 16);
            }
            long assigned = a.stats().get(Stat.SLABS_ASSIGNED);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    for (long b : blocks) {
                        a.free(b);
                    }
                    InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(blocks[0]));
                    assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            other.join();
            assertThat(failure.get()).isNull();
            assertThat(a.stats().get(Stat.REMOTE_FREES)).isEqualTo(blocks.length);
            assertThat(a.heap().remotePending()).isTrue();
            a.trim(); // collects the remote stacks; every slab is empty and goes back
            assertThat(a.heap().remotePending()).isFalse();
            assertThat(a.heap().slabsOwned()).isZero();
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.SLABS_RETURNED)).isEqualTo(assigned);
            assertThat(s.get(Stat.LIVE_BYTES)).isZero();
            for (SharedSuperSlab ss : a.superSlabs()) {
                for (Slab slab : ss.slabs) {
                    if (slab != null) {
                        slab.checkInvariants();
                        assertThat(slab.isEmpty()).isTrue();
                    }
                }
            }
            a.pool().checkInvariants();
        }
    }

    @Test
    void remotely_freed_blocks_are_reused_by_the_owner_when_its_slab_runs_out() throws Exception {
        try (SharedPoolAllocator a = new SharedPoolAllocator(BASE.with(Knob.FC_CAP, "0"))) {
            int perSlab = (64 << 10) / 512;
            long[] blocks = new long[perSlab];
            for (int i = 0; i < perSlab; i++) {
                blocks[i] = a.allocate(512);
            }
            Thread other = Thread.ofPlatform().start(() -> {
                for (long b : blocks) {
                    a.free(b);
                }
            });
            other.join();
            Set<Long> reused = new HashSet<>();
            for (int i = 0; i < perSlab; i++) {
                reused.add(a.allocate(512));
            }
            assertThat(reused).containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(blocks).boxed().toList());
            assertThat(a.stats().get(Stat.SLABS_ASSIGNED)).isEqualTo(1);
        }
    }
}
