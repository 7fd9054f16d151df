package dev.slabworks.sharedpool;

import dev.slabworks.api.slab.Slab;

/**
 * One slab position in a {@link SharedSuperSlab}: whether it is assigned, its slab, and the
 * bookkeeping the pool (purge) and the owning {@link ThreadHeap} (per-class lists) need. Slow-path
 * state only: the fast paths use {@link SharedSuperSlab#slabs} directly.
 */
final class SlabSlot {
    static final int NO_LIST = 0;
    static final int PARTIAL = 1;
    static final int FULL = 2;
    static final int CURRENT = 3;

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
    int list = NO_LIST;
    SlabSlot prev;
    SlabSlot next;

    SlabSlot(SharedSuperSlab superSlab, int index) {
        this.superSlab = superSlab;
        this.index = index;
    }

    @Override
    public String toString() {
        return "slot " + index + " of " + superSlab + (assigned ? " " + slab : " free");
    }
}
