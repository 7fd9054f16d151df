package dev.slabworks.mimalloc;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.Reallocation;
import dev.slabworks.api.Region;
import dev.slabworks.api.direct.DirectMappings;
import dev.slabworks.api.direct.DirectRegion;
import dev.slabworks.api.heap.Lifecycle;
import dev.slabworks.api.heap.SlowOperations;
import dev.slabworks.api.mid.MidPath;

/**
 * The operations of {@link MimallocLikeAllocator} off its allocate and free paths, run as one operation of the
 * caller's heap by {@link Lifecycle#operation}: {@code usableSize}, {@code reallocate} and {@code trim}. Made once
 * per allocator, so no call site links late.
 */
final class MimallocLikeSlowOperations extends SlowOperations<Heap> {
    private final MimallocLikeAllocator allocator;
    private final SegmentLookup lookup;
    private final HeapCollector collector;
    private final DirectMappings directMappings;
    private final MidPath mid;
    private final int reallocGrowth;

    MimallocLikeSlowOperations(MimallocLikeAllocator allocator, SegmentLookup lookup, HeapCollector collector,
            DirectMappings directMappings, MidPath mid, int reallocGrowth) {
        this.allocator = allocator;
        this.lookup = lookup;
        this.collector = collector;
        this.directMappings = directMappings;
        this.mid = mid;
        this.reallocGrowth = reallocGrowth;
    }

    @Override
    protected long reallocate(Heap heap, long address, long newSize) {
        return Reallocation.reallocate(allocator, address, newSize, heap.stats, reallocGrowth);
    }

    /** A known segment unmapped since is forgotten and the address looked up afresh, as in the free path. */
    @Override
    protected long usableSize(Heap heap, long address) {
        Region r = lookup.find(heap, address);
        if (r instanceof Segment s && s.released && heap.forgetSegment(s)) {
            r = lookup.find(heap, address);
        }
        if (r instanceof Segment s) {
            Page p = s.pageOf(address);
            long bs = p.blockSize;
            int b = p.blockOf(address, heap.stats);
            if (!p.isAllocated(b)) {
                throw InvalidFreeException.doubleFree(address, heap.stats);
            }
            return bs;
        }
        if (r instanceof DirectRegion d) {
            return directMappings.usableSize(d, address, heap.stats);
        }
        return mid.usableSize(address, heap.stats, heap.midCache); // FOREIGN unless a mid block
    }

    /** See {@link MimallocLikeAllocator#trim()}: the heaps and the pool, then the direct-mapping cache and the mid path. */
    @Override
    protected long trim(Heap heap) {
        collector.trim(heap);
        return directMappings.trim(heap.directFront) + mid.trim();
    }
}
