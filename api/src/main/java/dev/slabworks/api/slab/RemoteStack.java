package dev.slabworks.api.slab;

import dev.slabworks.api.heap.PaddedCell;
import dev.slabworks.api.os.Memory;

/**
 * A slab's remote stack: a Treiber stack of free blocks linked through their first words, whose head is a
 * {@link PaddedCell} alone on its cache line (a remote freer's CAS does not evict the owner's fields).
 * <pre>
 *   head cell --> [ next | ... ] --> [ next | ... ] --> ... --> [ 0 | ... ]     blocks in mapped memory
 * </pre>
 * Any thread pushes (one CAS per chain); only the owner pops, and only everything at once ({@link #takeAll}), so
 * the stack has no ABA problem. Static over the cell, so that a push loads no object beside the slab's.
 */
final class RemoteStack {
    private RemoteStack() {
    }

    static long[] newHead() {
        return PaddedCell.longs();
    }

    /** Pushes the chain {@code first .. last}, linked through the blocks' first words (the last's is overwritten). */
    static void push(long[] head, long first, long last) {
        long h;
        do {
            h = (long) PaddedCell.LONGS.getVolatile(head, PaddedCell.LONG);
            Memory.putLong(last, h);
        } while (!PaddedCell.LONGS.compareAndSet(head, PaddedCell.LONG, h, first));
    }

    static boolean isEmpty(long[] head) {
        return (long) PaddedCell.LONGS.getVolatile(head, PaddedCell.LONG) == 0;
    }

    /** Owner: the whole chain (0 when empty); the swap synchronizes with every push before it. */
    static long takeAll(long[] head) {
        return (long) PaddedCell.LONGS.getAndSet(head, PaddedCell.LONG, 0L);
    }
}
