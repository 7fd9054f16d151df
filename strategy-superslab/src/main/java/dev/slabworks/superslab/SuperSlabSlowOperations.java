package dev.slabworks.superslab;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.Reallocation;
import dev.slabworks.api.Region;
import dev.slabworks.api.direct.DirectMappings;
import dev.slabworks.api.direct.DirectRegion;
import dev.slabworks.api.heap.Lifecycle;
import dev.slabworks.api.heap.SlowOperations;
import dev.slabworks.api.mid.MidPath;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.validate.PointerValidator;

/**
 * The operations of {@link SuperSlabAllocator} off its allocate and free paths, run as one operation of the
 * caller's heap by {@link Lifecycle#operation}: {@code usableSize}, {@code reallocate} and {@code trim}. Made once
 * per allocator, so no call site links late.
 */
final class SuperSlabSlowOperations extends SlowOperations<ThreadHeap> {
    private final SuperSlabAllocator allocator;
    private final PointerValidator<Region> validator;
    private final DirectMappings direct;
    private final MidPath mid;
    private final SuperSlabPool pool;
    private final int reallocGrowth;

    SuperSlabSlowOperations(SuperSlabAllocator allocator, PointerValidator<Region> validator, DirectMappings direct,
            MidPath mid, SuperSlabPool pool, int reallocGrowth) {
        this.allocator = allocator;
        this.pool = pool;
        this.validator = validator;
        this.direct = direct;
        this.mid = mid;
        this.reallocGrowth = reallocGrowth;
    }

    @Override
    protected long reallocate(ThreadHeap h, long address, long newSize) {
        return Reallocation.reallocate(allocator, address, newSize, h.stats, reallocGrowth);
    }

    @Override
    protected long usableSize(ThreadHeap h, long address) {
        Region r = validator.find(address, h.stats, h.mincore);
        if (r instanceof SuperSlab ss) {
            Slab s = ss.slab();
            int i = SuperSlabAllocator.blockIndex(s, address, h.stats);
            if (s.state(i) != Slab.ALLOCATED) {
                throw InvalidFreeException.doubleFree(address, h.stats);
            }
            return s.blockSize();
        } else if (r instanceof DirectRegion d) {
            return direct.usableSize(d, address, h.stats);
        }
        return mid.usableSize(address, h.stats, h.midCache); // FOREIGN unless a mid block
    }

    /**
     * Reclaims the heaps of ended threads into {@code h}, trims it, brings the LRU's room back to {@code ss.lru.size},
     * then trims the direct-mapping cache and the mid path.
     */
    @Override
    protected long trim(ThreadHeap h) {
        h.reclaimDeadHeaps();
        h.trim();
        pool.trimLru(h.stats);
        return direct.trim(h.directFront) + mid.trim();
    }
}
