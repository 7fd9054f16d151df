package dev.slabworks.sharedpool;

import dev.slabworks.api.list.IntrusiveList;
import dev.slabworks.api.purge.PurgeDelay;
import dev.slabworks.api.slab.Slab;

/**
 * One slab position in a {@link SharedSuperSlab}: its SP-SLOT state, its slab, and the bookkeeping the pool
 * (EMPTY lists, purge) and the owning {@link ThreadHeap} (per-class lists) need. Slow-path state only: the fast
 * paths use {@link SharedSuperSlab#slabs} directly. The states and their moves are in {@link SlabPool}.
 */
final class SlabSlot {
    /** SP-SLOT states (pool lock): no class since its SuperSlab was mapped or emptied whole. */
    static final int UNUSED = 0;
    /** Assigned to a class and a heap. */
    static final int ACTIVE = 1;
    /** Emptied by its class, on that class's EMPTY list, its SuperSlab still in use: the class takes it back first. */
    static final int EMPTY = 2;

    final SharedSuperSlab superSlab;
    final int index;

    // ---- pool state (pool lock) ----
    int state = UNUSED;
    /** Its place in the pool's EMPTY list of its class, while {@link #EMPTY}. */
    final IntrusiveList.Link<SlabSlot> emptyLink = new IntrusiveList.Link<>(this);
    /** {@code System.nanoTime()} when the slot last became free; its purge is due the purge delay later. */
    long freeSince;
    /** Bumped every time the slot changes hands, so a stale purge-queue entry can be recognised. */
    int generation;
    boolean purged = true; // a fresh mapping has no resident pages
    /** {@code System.nanoTime()} of its last purge, or {@code PurgeDelay.NEVER}: whether taking it back was premature. */
    long purgedAt = PurgeDelay.NEVER;

    // ---- owner heap state (owner thread) ----
    Slab slab;
    /** Whether it is its owner heap's current slab of its class (then on no list). */
    boolean current;
    /** Its place in its owner heap's partial or full list of its class. */
    final IntrusiveList.Link<SlabSlot> heapLink = new IntrusiveList.Link<>(this);

    SlabSlot(SharedSuperSlab superSlab, int index) {
        this.superSlab = superSlab;
        this.index = index;
    }

    @Override
    public String toString() {
        return "slot " + index + " of " + superSlab + switch (state) {
            case ACTIVE -> " " + slab;
            case EMPTY -> " EMPTY (" + slab + ")";
            default -> " UNUSED";
        };
    }
}
