package dev.slabworks.testkit.contract;

import dev.slabworks.api.os.Memory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recognisable byte pattern, a function of an origin address, a size and a position, written at
 * the head, the tail and every 61st byte of a block. A test that finds it intact knows nothing
 * wrote into the block; after a reallocate the new block carries the old block's pattern in its
 * prefix, so the old origin and size are what it is verified against.
 */
public final class Patterns {
    private static final int HEAD = 256;
    private static final int TAIL = 64;
    private static final int STRIDE = 61;

    private Patterns() {
    }

    static byte at(long origin, long size, long i) {
        long x = (origin + i) * 0x9E3779B97F4A7C15L ^ (size * 0xBF58476D1CE4E5B9L);
        return (byte) (x ^ (x >>> 29));
    }

    /** Positions of a {@code size}-byte block that carry the pattern. */
    static boolean written(long i, long size) {
        return i < HEAD || i >= size - TAIL || i % STRIDE == 0;
    }

    /** Writes the pattern of ({@code address}, {@code size}) into the block at {@code address}. */
    public static void fill(long address, long size) {
        for (long i = 0; i < size; i = nextWritten(i, size)) {
            Memory.putByte(address + i, at(address, size, i));
        }
    }

    /**
     * The first position after {@code i} that carries the pattern: the same positions as
     * {@link #written}, found without visiting the bytes in between (large blocks cost ~1/61 of a
     * byte-by-byte walk, which matters to fuzzing throughput).
     */
    static long nextWritten(long i, long size) {
        long next = i + 1;
        if (next < HEAD || next >= size - TAIL) {
            return next;
        }
        long stride = (next + STRIDE - 1) / STRIDE * STRIDE;
        return Math.min(stride, Math.max(size - TAIL, next));
    }

    public static void verify(long address, long size) {
        verifyPrefix(address, address, size, size);
    }

    /**
     * Verifies the first {@code kept} bytes at {@code address} against the pattern that
     * {@link #fill} wrote for ({@code origin}, {@code size}).
     */
    public static void verifyPrefix(long address, long origin, long size, long kept) {
        for (long i = 0; i < kept; i = nextWritten(i, size)) {
            byte expected = at(origin, size, i);
            byte actual = Memory.getByte(address + i);
            if (actual != expected) {
                assertThat(actual).as("byte %d of the %d-byte block at 0x%x (pattern of 0x%x)", i, size, address, origin)
                        .isEqualTo(expected);
            }
        }
    }
}
