package dev.slabworks.api.sizeclass;

/**
 * The size-class table every slab strategy shares: 40 classes, all multiples of 16 bytes.
 *
 * <pre>
 *   class  0..7   16, 32, 48, ... 128          dense: step 16 (tiny sizes waste at most 15 bytes)
 *   class  8..39  4 classes per power of two   160, 192, 224, 256, 320, ... 28672, 32768
 *                 from 128 up to 32 KiB        (a request gets at most 25 % more than it asked,
 *                                              and at most 20 % of a block is waste)
 * </pre>
 * Sizes above {@link #MAX_SIZE} are not in a class: strategies map them directly.
 *
 * <p>{@link #blockIndex} divides by a class size with a multiply and a shift
 * ({@code M = ceil(2^42 / size)}), exact for every offset below {@link #MAX_DIVIDEND}: the
 * rounding error {@code e = M*size - 2^42 < size <= 2^15} keeps {@code offset*e < 2^42}.
 */
public final class SizeClasses {
    public static final int COUNT = 40;
    public static final int MIN_SIZE = 16;
    public static final int MAX_SIZE = 32 << 10;
    /** Offsets {@link #blockIndex} divides exactly: below 32 MiB. */
    public static final long MAX_DIVIDEND = 1L << 25;

    private static final int RECIPROCAL_SHIFT = 42;
    private static final int[] SIZE = new int[COUNT];
    private static final long[] RECIPROCAL = new long[COUNT];
    /** Class of a size, by {@code (size + 15) / 16}. */
    private static final byte[] CLASS_BY_GRANULE = new byte[MAX_SIZE / MIN_SIZE + 1];

    static {
        int c = 0;
        for (int s = 16; s <= 128; s += 16) {
            SIZE[c++] = s;
        }
        for (int pow = 128; pow < MAX_SIZE; pow <<= 1) {
            for (int step = 1; step <= 4; step++) {
                SIZE[c++] = pow + step * (pow / 4);
            }
        }
        if (c != COUNT || SIZE[COUNT - 1] != MAX_SIZE) {
            throw new AssertionError("size-class table is malformed");
        }
        for (int i = 0; i < COUNT; i++) {
            RECIPROCAL[i] = ((1L << RECIPROCAL_SHIFT) + SIZE[i] - 1) / SIZE[i];
        }
        int cls = 0;
        for (int g = 0; g < CLASS_BY_GRANULE.length; g++) {
            while (SIZE[cls] < g * MIN_SIZE) {
                cls++;
            }
            CLASS_BY_GRANULE[g] = (byte) cls;
        }
    }

    private SizeClasses() {
    }

    /** The smallest class whose blocks hold {@code size} bytes; {@code 0 <= size <= MAX_SIZE}. */
    public static int classOf(long size) {
        return CLASS_BY_GRANULE[(int) ((size + MIN_SIZE - 1) >>> 4)];
    }

    /** Whether {@code size} has a class (false for negative sizes too). */
    public static boolean isSmall(long size) {
        return Long.compareUnsigned(size, MAX_SIZE) <= 0;
    }

    /** The block size of class {@code cls}. */
    public static int size(int cls) {
        return SIZE[cls];
    }

    /** {@code offset / size(cls)}, for {@code 0 <= offset < MAX_DIVIDEND}, without a division. */
    public static int blockIndex(int cls, long offset) {
        return (int) ((offset * RECIPROCAL[cls]) >>> RECIPROCAL_SHIFT);
    }

    /** The multiplier {@link #blockIndex} uses for {@code cls}, for callers that keep it in a final field. */
    public static long reciprocal(int cls) {
        return RECIPROCAL[cls];
    }

    /** {@code offset / size} given {@code reciprocal(cls)} of that size: {@link #blockIndex} without the table load. */
    public static int divide(long offset, long reciprocal) {
        return (int) ((offset * reciprocal) >>> RECIPROCAL_SHIFT);
    }
}
