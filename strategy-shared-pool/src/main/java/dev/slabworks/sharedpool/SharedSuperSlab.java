package dev.slabworks.sharedpool;

import dev.slabworks.api.Region;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.slab.Slab;

/**
 * One SuperSlab of the shared pool: an {@code SS_SIZE}-aligned mapping cut into
 * {@code SS_SIZE / SLAB_SIZE} slabs, each given to whichever size class needs one.
 *
 * <pre>
 *   base (aligned to SS_SIZE)                                         base + SS_SIZE
 *   | slab 0        | slab 1        | ...                   | slab n-1        |
 *     class 3 (heap A)  free (purged?)   class 17 (heap B)
 *   slab i starts at base + i * SLAB_SIZE, so the slab of an address is
 *   slabs[(address - base) >>> slabShift]: a shift, no search, no division.
 * </pre>
 *
 * <p>Invariants (pool lock held; {@link SlabPool#checkInvariants()}):
 * <ol>
 *   <li>{@code freeCount == #slots not ACTIVE}; {@code 0 <= freeCount <= slotCount}.</li>
 *   <li>{@code slabs[i]} is the slab of an assigned slot, or the last slab a free slot had (a
 *       "ghost" whose blocks are all FREE, so a late free into it reads DOUBLE_FREE or INTERIOR),
 *       or null if the slot was never assigned.</li>
 *   <li>The SuperSlab is in exactly one of: the pool's candidate set ({@code 0 < freeCount <
 *       slotCount}), the LRU ({@code freeCount == slotCount}), neither (no free slot), and is
 *       registered in the RegionMap exactly while {@link #mapped}.</li>
 * </ol>
 * {@code slabs} is read lock-free by the free path; an element is written (under the pool lock)
 * before any block of that slab is handed out, and a block reaches another thread only through a
 * happens-before edge, so a free of a live block always sees its slab.
 */
final class SharedSuperSlab extends Region {
    /** {@link #base()} cached in a final field for the fast paths. */
    final long start;
    final Slab[] slabs;
    final SlabSlot[] slots;
    final int slabShift;
    /** Slots not ACTIVE (UNUSED or EMPTY); changed under the pool lock only. */
    int freeCount;
    /** False once unmapped: slots of this SuperSlab left in the purge queue are skipped. */
    boolean mapped = true;

    SharedSuperSlab(Mapping mapping, long slabSize) {
        super(mapping);
        this.start = mapping.address();
        int n = (int) (mapping.size() / slabSize);
        this.slabShift = Long.numberOfTrailingZeros(slabSize);
        this.slabs = new Slab[n];
        this.slots = new SlabSlot[n];
        for (int i = 0; i < n; i++) {
            slots[i] = new SlabSlot(this, i);
        }
        this.freeCount = n;
    }

    int slotCount() {
        return slots.length;
    }

    long slabBase(int index) {
        return base() + ((long) index << slabShift);
    }

    /** The lowest UNUSED slot, else the lowest EMPTY one (another class's), or -1. */
    int lowestFreeSlot() {
        int empty = -1;
        for (SlabSlot s : slots) {
            if (s.state == SlabSlot.UNUSED) {
                return s.index;
            }
            if (s.state == SlabSlot.EMPTY && empty < 0) {
                empty = s.index;
            }
        }
        return empty;
    }

    @Override
    public String toString() {
        return "SharedSuperSlab[0x" + Long.toHexString(base()) + " free " + freeCount + "/" + slots.length + "]";
    }
}
