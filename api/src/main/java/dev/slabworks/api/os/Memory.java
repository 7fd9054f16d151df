package dev.slabworks.api.os;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Raw access to memory an allocator has mapped, by address, through one global segment
 * ({@code MemorySegment.NULL.reinterpret(Long.MAX_VALUE)}): no bounds an allocator could use, no
 * object per access. The rule that makes this safe is the caller's: only addresses inside a live
 * {@link Mapping} of the caller's own are passed here. Pointer validation (see
 * {@code dev.slabworks.api.validate}) never reads through this class.
 */
public final class Memory {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private Memory() {
    }

    public static long getLong(long address) {
        return ALL.get(LONG, address);
    }

    public static void putLong(long address, long value) {
        ALL.set(LONG, address, value);
    }

    public static int getInt(long address) {
        return ALL.get(INT, address);
    }

    public static void putInt(long address, int value) {
        ALL.set(INT, address, value);
    }

    public static byte getByte(long address) {
        return ALL.get(BYTE, address);
    }

    public static void putByte(long address, byte value) {
        ALL.set(BYTE, address, value);
    }

    public static void copy(long from, long to, long length) {
        MemorySegment.copy(ALL, from, ALL, to, length);
    }

    public static void fill(long address, long length, byte value) {
        ALL.asSlice(address, length).fill(value);
    }

    /** A bounds-checked view of {@code [address, address + length)}, for callers outside the allocator. */
    public static MemorySegment segment(long address, long length) {
        return ALL.asSlice(address, length);
    }
}
