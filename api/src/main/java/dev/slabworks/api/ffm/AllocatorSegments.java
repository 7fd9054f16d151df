package dev.slabworks.api.ffm;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.InvalidFreeException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Any {@link Allocator} as a {@link SegmentAllocator}: {@link #allocate(long, long)} takes a block and hands out a
 * segment of exactly the bytes asked for over it, and {@link #free} gives the block back. The segments are the
 * allocator's own views ({@link Allocator#segment}), so every access is bounds-checked, and on a strategy, which
 * scopes them to the block's mapping, an access once that memory is unmapped (the allocator closed, the block's
 * SuperSlab, chunk or direct mapping released) throws {@link IllegalStateException} instead of reading it. An access
 * after {@link #free} while the memory stays mapped is not caught, as with the allocator's own views: the block may
 * serve someone else by then. Thread-safe as the allocator is.
 *
 * <p>Cost per segment: the allocator's allocate, a look-up of the new block ({@code usableSize}, which the view
 * needs), and two small objects (the view and the slice of the size asked for). A layout aligned to more than
 * {@link Allocator#ALIGNMENT} bytes takes a block padded by the difference, and its aligned address is remembered
 * until it is freed (an entry in a concurrent map). Contents are not zeroed, unlike the JDK's arenas.
 */
public final class AllocatorSegments implements SegmentAllocator {
    private final Allocator allocator;
    /** Aligned segment address to its block, for the segments that do not start at their block. */
    private final ConcurrentHashMap<Long, Long> padded = new ConcurrentHashMap<>();

    private AllocatorSegments(Allocator allocator) {
        this.allocator = allocator;
    }

    public static AllocatorSegments of(Allocator allocator) {
        return new AllocatorSegments(allocator);
    }

    public Allocator allocator() {
        return allocator;
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        Alignment.check(byteSize, byteAlignment);
        if (Alignment.natural(byteAlignment)) {
            long block = allocator.allocate(byteSize);
            return allocator.segment(block).asSlice(0, byteSize);
        }
        long block = allocator.allocate(Alignment.padded(byteSize, byteAlignment));
        long aligned = Alignment.align(block, byteAlignment);
        MemorySegment segment = allocator.segment(block).asSlice(aligned - block, byteSize);
        if (aligned != block) {
            padded.put(aligned, block);
        }
        return segment;
    }

    /**
     * Gives back the block of a segment this adapter handed out. Anything else is the allocator's to reject
     * ({@link InvalidFreeException}): a slice that does not start where its segment did is {@code INTERIOR}, a
     * segment freed twice {@code DOUBLE_FREE}.
     */
    public void free(MemorySegment segment) {
        long address = segment.address();
        Long block = padded.isEmpty() ? null : padded.get(address);
        allocator.free(block != null ? block : address);
        if (block != null) {
            padded.remove(address, block); // after the free: a rejected free leaves the segment freeable
        }
    }
}
