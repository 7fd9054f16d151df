package dev.slabworks.api.heap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One word that other threads write, alone on its cache line: the head of a remote-free stack, a flag a
 * remote freer raises for an owner. Kept in the middle of a Java array with 64 bytes of unused elements on
 * each side, so a remote thread's CAS on it never invalidates the line holding the owner's hot fields
 * (its free list, its counters), and the owner's stores never invalidate it. A remote free then costs the
 * line it writes, not also the owner's next allocation.
 *
 * <pre>
 *   long[16]: | header 16 | 8 unused longs (64) | cell (8) | 7 unused longs (56) |     cell at byte 80
 *   int[32]:  | header 16 | 16 unused ints (64) | cell (4) | 15 unused ints (60) |     cell at byte 80
 * </pre>
 * A 64-byte line holding the cell lies within bytes 20..143 of the array (with a 12-byte header, 17..139),
 * none of them another object's or a header's. (An array rather than padding fields in a class hierarchy: the JVM may reorder fields and
 * fill a superclass's gaps with a subclass's fields; it never moves array elements.)
 *
 * <p>The accessors are the VarHandles below, used with {@link #LONG} or {@link #INT} as the index.
 */
public final class PaddedCell {
    /** The index of the cell in an array from {@link #longs()}. */
    public static final int LONG = 8;
    /** The index of the cell in an array from {@link #ints()}. */
    public static final int INT = 16;
    /** Access to a long cell: {@code (long) LONGS.getVolatile(array, LONG)} and so on. */
    public static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Access to an int cell. */
    public static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    private PaddedCell() {
    }

    /** A fresh long cell, 0. */
    public static long[] longs() {
        return new long[2 * LONG];
    }

    /** A fresh int cell, 0. */
    public static int[] ints() {
        return new int[2 * INT];
    }
}
