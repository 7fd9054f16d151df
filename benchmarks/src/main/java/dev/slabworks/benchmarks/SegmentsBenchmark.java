package dev.slabworks.benchmarks;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorUnusableException;
import dev.slabworks.api.ffm.AllocatorArena;
import dev.slabworks.api.ffm.AllocatorSegments;
import dev.slabworks.api.os.Memory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Supplier;

/**
 * What plain {@code java.lang.foreign} code pays to run on a strategy. Each variant runs the same random-mixed
 * loop: {@value #SLOTS} slots, splitmix64; a full slot is freed, an empty one gets a block of 16..1024 bytes
 * (from the same draw) with its first and last byte written. One op is one iteration; the slots live across
 * invocations and are freed at the end of the trial.
 * <ul>
 *   <li>{@code raw}: the strategy's {@code long} API, writes through {@code Memory} (no bounds).</li>
 *   <li>{@code segments}: {@link AllocatorSegments} over the strategy: a bounds-checked segment per block,
 *       freed one by one.</li>
 *   <li>{@code strategyArenaPerBlock}: an {@link AllocatorArena} (confined) per block over the strategy, closed
 *       to free it.</li>
 *   <li>{@code jdkArenaPerBlock}: {@code Arena.ofConfined()} per block, closed to free it: the JDK's own
 *       allocator ({@code malloc} underneath, and zeroing); the strategy parameter is not used.</li>
 * </ul>
 * {@code -prof gc} gives the Java-heap bytes each costs per op ({@code gc.alloc.rate.norm}).
 *
 * <pre>
 *   ./slabworks jmh SegmentsBenchmark -p strategy=segregated-fit,mimalloc-like,glibc -f 2 -wi 2 -w 1s -i 3 -r 1s -prof gc
 * </pre>
 */
@State(Scope.Thread)
public class SegmentsBenchmark extends SuiteRunSettings {
    static final int SLOTS = 4096;
    static final int OPS = 1 << 16;
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private long state = 1234567;
    /** What the slots of this trial hold; each trial (a fork) runs one variant, so the calls below stay monomorphic. */
    private Slots slots;
    private Allocator allocator;

    /** The blocks of one variant, a slot each: how one is made (first and last byte written) and freed. */
    private abstract static class Slots {
        abstract boolean full(int slot);

        abstract void free(int slot);

        abstract void allocate(int slot, long size);
    }

    private static final class RawBlocks extends Slots {
        private final Allocator allocator;
        private final long[] blocks = new long[SLOTS];

        RawBlocks(Allocator allocator) {
            this.allocator = allocator;
        }

        @Override
        boolean full(int slot) {
            return blocks[slot] != 0;
        }

        @Override
        void free(int slot) {
            allocator.free(blocks[slot]);
            blocks[slot] = 0;
        }

        @Override
        void allocate(int slot, long size) {
            long p = allocator.allocate(size);
            Memory.putByte(p, (byte) 1);
            Memory.putByte(p + size - 1, (byte) 1);
            blocks[slot] = p;
        }
    }

    private static final class AdapterSegments extends Slots {
        private final AllocatorSegments adapter;
        private final MemorySegment[] segments = new MemorySegment[SLOTS];

        AdapterSegments(Allocator allocator) {
            this.adapter = AllocatorSegments.of(allocator);
        }

        @Override
        boolean full(int slot) {
            return segments[slot] != null;
        }

        @Override
        void free(int slot) {
            adapter.free(segments[slot]);
            segments[slot] = null;
        }

        @Override
        void allocate(int slot, long size) {
            MemorySegment seg = adapter.allocate(size);
            seg.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
            seg.set(ValueLayout.JAVA_BYTE, size - 1, (byte) 1);
            segments[slot] = seg;
        }
    }

    private static final class ArenaPerBlock extends Slots {
        private final Supplier<Arena> newArena;
        private final Arena[] arenas = new Arena[SLOTS];

        ArenaPerBlock(Supplier<Arena> newArena) {
            this.newArena = newArena;
        }

        @Override
        boolean full(int slot) {
            return arenas[slot] != null;
        }

        @Override
        void free(int slot) {
            arenas[slot].close();
            arenas[slot] = null;
        }

        @Override
        void allocate(int slot, long size) {
            Arena arena = newArena.get();
            MemorySegment seg = arena.allocate(size);
            seg.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
            seg.set(ValueLayout.JAVA_BYTE, size - 1, (byte) 1);
            arenas[slot] = arena;
        }
    }

    @Setup(Level.Trial)
    public void setUp(AllocatorState s) {
        allocator = s.allocator;
    }

    /** Frees what the slots hold, before the allocator state closes the allocator. */
    @TearDown(Level.Trial)
    public void freeAll() {
        try {
            for (int i = 0; slots != null && i < SLOTS; i++) {
                if (slots.full(i)) {
                    slots.free(i);
                }
            }
        } catch (AllocatorUnusableException closedFirst) {
            // its memory went with it
        }
    }

    /** {@value #OPS} iterations of the loop on {@code variant}'s slots, the generator carried across calls. */
    private long run(Slots variant) {
        long x = state;
        long sum = 0;
        for (int i = 0; i < OPS; i++) {
            x += GAMMA;
            long r = mix(x);
            int slot = (int) (r & (SLOTS - 1));
            if (variant.full(slot)) {
                variant.free(slot);
            } else {
                long size = 16 + Long.remainderUnsigned(r >>> 32, 1009);
                variant.allocate(slot, size);
                sum += size;
            }
        }
        state = x;
        return sum;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private Slots slots(Supplier<Slots> variant) {
        if (slots == null) {
            slots = variant.get();
        }
        return slots;
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long raw(AllocatorState s, Syscalls syscalls) {
        return run(slots(() -> new RawBlocks(allocator)));
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long segments(AllocatorState s, Syscalls syscalls) {
        return run(slots(() -> new AdapterSegments(allocator)));
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long strategyArenaPerBlock(AllocatorState s, Syscalls syscalls) {
        return run(slots(() -> new ArenaPerBlock(() -> AllocatorArena.ofConfined(allocator))));
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long jdkArenaPerBlock(AllocatorState s, Syscalls syscalls) {
        return run(slots(() -> new ArenaPerBlock(Arena::ofConfined)));
    }
}
