package dev.slabworks.benchmarks;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.StatsSnapshot;

import java.lang.foreign.Arena;

/**
 * The contender {@code none}: the ceiling. Every {@link #allocate} returns the same 16 MiB buffer and
 * {@link #free} does nothing, so a benchmark on it measures the workload's own loop (PRNG, slot
 * array, the byte writes) with no allocator at all. Not an allocator anyone should use: blocks
 * overlap by design.
 */
final class NoAllocation implements Allocator {
    static final String NAME = "none";
    /** Larger than any block the suite asks for (random-mixed (d) asks up to 4 KiB, the traces less than 1 MiB). */
    static final long CAPACITY = 16L << 20;

    static final AllocatorFactory FACTORY = new AllocatorFactory() {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String description() {
            return "no allocation at all: the workload loop alone, the ceiling";
        }

        @Override
        public Allocator create(Knobs knobs, Os os) {
            return new NoAllocation(knobs, os);
        }
    };

    private final Knobs knobs;
    private final Arena arena = Arena.ofShared();
    private final long block;
    private final Stats stats;

    private NoAllocation(Knobs knobs, Os os) {
        this.knobs = knobs;
        this.stats = new Stats(os);
        this.block = arena.allocate(CAPACITY, ALIGNMENT).address();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long allocate(long size) {
        if (size > CAPACITY) {
            throw new IllegalArgumentException(NAME + ": the ceiling serves blocks up to " + CAPACITY + " bytes, not " + size);
        }
        return block;
    }

    @Override
    public void free(long address) {
    }

    @Override
    public long usableSize(long address) {
        return CAPACITY;
    }

    @Override
    public long reallocate(long address, long newSize) {
        return allocate(newSize);
    }

    @Override
    public Knobs knobs() {
        return knobs;
    }

    @Override
    public StatsSnapshot stats() {
        return stats.snapshot();
    }

    @Override
    public void close() {
        arena.close();
    }
}
