package dev.slabworks.sharedpool;

import dev.slabworks.api.list.IntrusiveList;
import dev.slabworks.api.slab.Slab;

/**
 * One slab position in a {@link SharedSuperSlab}: whether it is assigned, its slab, and the
 * bookkeeping the pool (purge) and the owning {@link ThreadHeap} (per-class lists) need. Slow-path
 * state only: the fast paths use {@link SharedSuperSlab#slabs} directly.
 */
final class SlabSlot {
    final SharedSuperSlab superSlab;
    final int index;

    // ---- pool state (pool lock) ----
    boolean assigned;
    /** {@code System.nanoTime()} when the slot last became free; its purge is due {@code PURGE_DELAY_MS} later. */
    long freeSince;
    /** Bumped every time the slot changes hands, so a stale purge-queue entry can be recognised. */
    int generation;
    boolean purged = true; // a fresh mapping has no resident pages

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
        return "slot " + index + " of " + superSlab + (assigned ? " " + slab : " free");
    }
}
