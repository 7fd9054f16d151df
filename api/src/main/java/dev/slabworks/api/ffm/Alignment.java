package dev.slabworks.api.ffm;

import dev.slabworks.api.Allocator;

/**
 * A block for a segment of any alignment: a strategy's blocks start on {@link Allocator#ALIGNMENT} bytes, so a
 * layout aligned to more gets a block padded by the difference and the first aligned address in it.
 */
final class Alignment {
    private Alignment() {
    }

    /** The checks of {@link java.lang.foreign.SegmentAllocator#allocate(long, long)}, with the JDK's exceptions. */
    static void check(long byteSize, long byteAlignment) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("negative byte size: " + byteSize);
        }
        if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1) {
            throw new IllegalArgumentException("byte alignment must be a power of two: " + byteAlignment);
        }
    }

    /** Whether a block's own alignment is enough. */
    static boolean natural(long byteAlignment) {
        return byteAlignment <= Allocator.ALIGNMENT;
    }

    /** The block size that holds {@code byteSize} bytes from its first {@code byteAlignment}-aligned address. */
    static long padded(long byteSize, long byteAlignment) {
        long padding = byteAlignment - Allocator.ALIGNMENT;
        return byteSize > Long.MAX_VALUE - padding ? Long.MAX_VALUE : byteSize + padding; // too big: the allocator refuses
    }

    /** The first address at or above {@code block} that is a multiple of {@code byteAlignment}. */
    static long align(long block, long byteAlignment) {
        return (block + byteAlignment - 1) & -byteAlignment;
    }
}
