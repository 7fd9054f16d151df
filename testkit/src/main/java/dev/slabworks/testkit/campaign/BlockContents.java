package dev.slabworks.testkit.campaign;

import dev.slabworks.api.os.Memory;

/**
 * Whole-block contents derived from a seed: every byte of a block is written, so a single stray
 * write anywhere in it is seen. Unlike {@code contract.Patterns} (sampled positions, AssertJ on mismatch)
 * this reports a mismatch as a value and depends on nothing but the api, so long-running campaigns
 * and commands can count corruptions instead of stopping at the first.
 *
 * <pre>
 *   offset  0        8        16            8*k          size
 *           | w(s,0) | w(s,1) |  ...   | w(s,k-1) | tail bytes of w(s,k) |
 *   w(s,i) = mix(s + i * GOLDEN)        (splitmix64 finaliser)
 * </pre>
 */
public final class BlockContents {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    private BlockContents() {
    }

    static long word(long seed, long index) {
        long z = seed + (index + 1) * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Writes the contents of {@code seed} into all {@code size} bytes at {@code address}. */
    public static void fill(long address, long size, long seed) {
        long words = size >>> 3;
        for (long i = 0; i < words; i++) {
            Memory.putLong(address + (i << 3), word(seed, i));
        }
        long tail = word(seed, words);
        for (long j = words << 3; j < size; j++) {
            Memory.putByte(address + j, (byte) (tail >>> ((j & 7) << 3)));
        }
    }

    /** The offset of the first byte that differs from what {@link #fill} wrote, or -1 when the block is intact. */
    public static long firstMismatch(long address, long size, long seed) {
        long words = size >>> 3;
        for (long i = 0; i < words; i++) {
            long diff = Memory.getLong(address + (i << 3)) ^ word(seed, i);
            if (diff != 0) {
                int bit = LITTLE_ENDIAN ? Long.numberOfTrailingZeros(diff) : Long.numberOfLeadingZeros(diff);
                return (i << 3) + (bit >>> 3);
            }
        }
        long tail = word(seed, words);
        for (long j = words << 3; j < size; j++) {
            if (Memory.getByte(address + j) != (byte) (tail >>> ((j & 7) << 3))) {
                return j;
            }
        }
        return -1;
    }

    public static boolean intact(long address, long size, long seed) {
        return firstMismatch(address, size, seed) < 0;
    }
}
