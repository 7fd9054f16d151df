package dev.slabworks.api.validate;

import dev.slabworks.api.Region;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The registry of an allocator's live mappings: a two-level radix map from address to the
 * {@link Region} that contains it, at the granularity of one granule ({@code 1 << granuleShift}
 * bytes, the smallest alignment the allocator maps with).
 *
 * <pre>
 *   address (48 bits used; anything above is foreign at once)
 *   47                                      granuleShift         0
 *   +--------------+-------------------------+--------------------+
 *   |   top index  |       leaf index        |  offset in granule |
 *   +--------------+-------------------------+--------------------+
 *   top[topIndex] -> leaf (made on first use) ; leaf[leafIndex] -> Region or null
 * </pre>
 *
 * <p>Invariants: a region is registered in every granule it covers, and only there; regions are
 * granule-aligned and a whole number of granules long, so no granule is shared.
 * Look-ups take no lock and see a region from the moment {@link #register} returns (release /
 * acquire on the slots); registering and unregistering take this map's lock (slow path).
 */
public final class RegionMap<R extends Region> {
    private static final int ADDRESS_BITS = 48;
    private static final VarHandle TOP = MethodHandles.arrayElementVarHandle(Region[][].class);
    private static final VarHandle LEAF = MethodHandles.arrayElementVarHandle(Region[].class);

    private final int granuleShift;
    private final int leafBits;
    private final long leafMask;
    private final Region[][] top;
    private int registered;

    public RegionMap(long granule) {
        if (Long.bitCount(granule) != 1 || granule < 4096) {
            throw new IllegalArgumentException("granule must be a power of two >= 4096: " + granule);
        }
        this.granuleShift = Long.numberOfTrailingZeros(granule);
        int keyBits = ADDRESS_BITS - granuleShift;
        this.leafBits = (keyBits + 1) / 2;
        this.leafMask = (1L << leafBits) - 1;
        this.top = new Region[1 << (keyBits - leafBits)][];
    }

    public long granule() {
        return 1L << granuleShift;
    }

    /**
     * What {@code Allocator.segment} hands out: a view of the block at {@code address}, whose {@code length} the
     * caller has just validated, scoped to its region ({@link Region#view}) so that it fails cleanly once the
     * mapping is released.
     */
    public java.lang.foreign.MemorySegment view(long address, long length) {
        R r = lookup(address);
        if (r == null || !r.contains(address)) {
            throw new IllegalStateException("the block at 0x" + Long.toHexString(address)
                    + " was freed and its memory released while its view was being made");
        }
        return r.view(address, length);
    }

    /** {@link Region#bind} of the region of the block at {@code address}, which the caller has just validated as live. */
    public void bind(long address, java.lang.foreign.Arena scope) {
        R r = lookup(address);
        if (r == null || !r.contains(address)) {
            throw new IllegalStateException("the block at 0x" + Long.toHexString(address)
                    + " was freed and its memory released while a scope was being bound to it");
        }
        r.bind(scope);
    }

    /** The region containing {@code address}, or null. Reads nothing but this map. */
    @SuppressWarnings("unchecked")
    public R lookup(long address) {
        if ((address >>> ADDRESS_BITS) != 0) {
            return null;
        }
        long key = address >>> granuleShift;
        Region[] leaf = (Region[]) TOP.getAcquire(top, (int) (key >>> leafBits));
        if (leaf == null) {
            return null;
        }
        return (R) LEAF.getAcquire(leaf, (int) (key & leafMask));
    }

    public synchronized void register(R region) {
        long base = region.base();
        long size = region.size();
        long g = granule();
        if ((base & (g - 1)) != 0 || (size & (g - 1)) != 0 || size == 0 || ((base + size - 1) >>> ADDRESS_BITS) != 0) {
            throw new IllegalArgumentException("region [0x" + Long.toHexString(base) + ", +" + size
                    + ") is not a whole number of " + g + "-byte granules in the 48-bit address space");
        }
        for (long a = base; a < base + size; a += g) {
            if (lookup(a) != null) {
                throw new IllegalStateException("granule 0x" + Long.toHexString(a) + " is registered already");
            }
        }
        for (long a = base; a < base + size; a += g) {
            long key = a >>> granuleShift;
            int t = (int) (key >>> leafBits);
            Region[] leaf = top[t];
            if (leaf == null) {
                leaf = new Region[1 << leafBits];
                TOP.setRelease(top, t, leaf);
            }
            LEAF.setRelease(leaf, (int) (key & leafMask), region);
        }
        registered++;
    }

    /** Forgets {@code region}; look-ups of its addresses return null from now on. */
    public synchronized void unregister(R region) {
        long g = granule();
        for (long a = region.base(); a < region.base() + region.size(); a += g) {
            long key = a >>> granuleShift;
            Region[] leaf = top[(int) (key >>> leafBits)];
            int slot = (int) (key & leafMask);
            if (leaf == null || leaf[slot] != region) {
                throw new IllegalStateException("region at 0x" + Long.toHexString(region.base()) + " is not registered");
            }
            LEAF.setRelease(leaf, slot, null);
        }
        registered--;
    }

    /** Regions registered now. */
    public synchronized int size() {
        return registered;
    }
}
