package dev.slabworks.segfit;

import dev.slabworks.api.Region;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.slab.Slab;

/**
 * One mapping whose blocks all belong to one size class: a {@link Region}, so the allocator's RegionMap finds it
 * from any address inside it, and a {@link Slab} over the whole of it, which keeps the blocks' states in a Java
 * array (never in the mapping) and their free list. Nothing lives in the mapping but blocks and the free list's
 * links inside free blocks. Guarded by the allocator's lock.
 */
final class Chunk extends Region {
    /** The blocks of the class this chunk serves now; a new slab when an emptied chunk is reused for another class. */
    Slab slab;
    /** On its class's queue of chunks with free blocks. */
    boolean queued;
    /** The allocator's list of every chunk mapped now (close unmaps them all). */
    Chunk nextMapped;
    Chunk previousMapped;

    Chunk(Mapping mapping, int sizeClass) {
        super(mapping);
        format(sizeClass);
    }

    /** Serves {@code sizeClass} from now on; every block free. Only for an empty chunk. */
    void format(int sizeClass) {
        slab = new Slab(base(), size(), sizeClass);
        queued = false;
    }

    int sizeClass() {
        return slab.sizeClass();
    }
}
