package dev.slabworks.mimalloc;

import dev.slabworks.api.Region;
import dev.slabworks.api.validate.PointerValidator;

/**
 * Where an address a heap frees (or asks the size of) lies, when the heap's page cache does not place it: the
 * heap's known segments in MINCORE_CACHED mode, else the {@link PointerValidator}, whose segment answers are
 * remembered among the known segments in that mode.
 */
final class SegmentLookup {
    private final PointerValidator<Region> validator;
    private final boolean mincoreCached;
    private final int segmentShift;

    SegmentLookup(PointerValidator<Region> validator, boolean mincoreCached, int segmentShift) {
        this.validator = validator;
        this.mincoreCached = mincoreCached;
        this.segmentShift = segmentShift;
    }

    /**
     * The region owning {@code address}, or null. In MINCORE_CACHED mode the heap first checks the
     * segments it confirmed ({@link Heap#knownSegments}, direct-mapped by segment number; the seed's
     * "skip known ranges"): an address inside one needs neither
     * the syscall nor the map look-up. That segment may have been unmapped since (an empty segment
     * past the pool's LRU): then every page of its descriptor is retired, so no free through it
     * passes the local check, and the slow paths (the allocator's remote free, usableSize) see
     * {@link Segment#released}, forget it and look the address up again. Anything else goes through
     * the validator, which counts and caches in turn.
     */
    Region find(Heap heap, long address) {
        if (mincoreCached) {
            Segment k = knownSegment(heap, address);
            if (k != null) {
                return k;
            }
        }
        return lookUp(heap, address);
    }

    /** The heap's known segment holding {@code address} (a counted cache hit), or null; MINCORE_CACHED only. */
    private Segment knownSegment(Heap heap, long address) {
        Segment k = heap.knownSegments[Heap.knownSlot(address, segmentShift)];
        if (k != null && ((address - k.start) >>> segmentShift) == 0) {
            heap.stats.mincoreCacheHit();
            return k;
        }
        return null;
    }

    /** The validator's answer for {@code address}, remembered among the known segments in MINCORE_CACHED mode. */
    private Region lookUp(Heap heap, long address) {
        Region r = validator.find(address, heap.stats, heap.mincoreCache);
        if (mincoreCached && r instanceof Segment s && !s.released) {
            heap.knownSegments[Heap.knownSlot(address, segmentShift)] = s;
        }
        return r;
    }
}
