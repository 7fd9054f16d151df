package dev.slabworks.api.validate;

/**
 * One thread's memory of address ranges it has confirmed mapped with {@code mincore}: the seed's
 * "last page -> mapped" cache widened to whole known ranges. Direct-mapped by granule: entry
 * {@code i} holds {@code granule index + 1} (0 = empty) for the granule it last confirmed.
 *
 * <p>An entry may outlive its mapping. That is harmless here because a hit only skips the syscall;
 * the {@link RegionMap} look-up that follows still decides, and nothing is read from the range.
 */
public final class MincoreCache {
    private final long[] granules;
    private final int mask;
    private final int granuleShift;

    MincoreCache(int entries, long granule) {
        if (Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two: " + entries);
        }
        this.granules = new long[entries];
        this.mask = entries - 1;
        this.granuleShift = Long.numberOfTrailingZeros(granule);
    }

    boolean contains(long address) {
        long key = (address >>> granuleShift) + 1;
        return granules[(int) key & mask] == key;
    }

    /** Remembers the granule of {@code address}, which mincore and the registry both confirmed. */
    void remember(long address) {
        long key = (address >>> granuleShift) + 1;
        granules[(int) key & mask] = key;
    }

    public int entries() {
        return granules.length;
    }
}
