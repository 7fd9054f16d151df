package dev.slabworks.api.slab;

import dev.slabworks.api.heap.PaddedCell;

/**
 * A slab's remote stack: a Treiber stack of blocks by index, linked through the slab's {@link RemoteLinks}
 * (Java heap, never block memory), whose head is a {@link PaddedCell} alone on its cache line (a remote freer's
 * CAS does not evict the owner's fields). Entries hold {@code index + 1}, so that 0 ends a chain.
 * <pre>
 *   head cell: 5 ---> links(4): 10 ---> links(9): 3 ---> links(2): 0        blocks 4, 9, 2
 * </pre>
 * Any thread pushes (one CAS per chain); only the owner pops, and only everything at once ({@link #takeAll}), so
 * the stack has no ABA problem. The links stay out of block memory for two reasons: the owner follows a chain one
 * link at a time, each load waiting for the last, and links packed sixteen to a cache line cost a miss per sixteen
 * blocks freed in order instead of a miss per block, on lines the freeing core wrote; and a write into a block after
 * its free cannot redirect the chain. Static over the cell, so that a push loads no object beside the slab's.
 */
final class RemoteStack {
    private RemoteStack() {
    }

    static long[] newHead() {
        return PaddedCell.longs();
    }

    /**
     * Pushes the chain of blocks {@code first .. last} (indices, linked through {@code links} already; the last's
     * entry is overwritten). The CAS publishes the plain link stores before it to the owner's {@link #takeAll}.
     */
    static void push(long[] head, int[][] links, int first, int last) {
        int[] page = RemoteLinks.pageFor(links, last);
        int slot = RemoteLinks.slot(last);
        long h;
        do {
            h = (long) PaddedCell.LONGS.getVolatile(head, PaddedCell.LONG);
            page[slot] = (int) h;
        } while (!PaddedCell.LONGS.compareAndSet(head, PaddedCell.LONG, h, (long) first + 1));
    }

    static boolean isEmpty(long[] head) {
        return (long) PaddedCell.LONGS.getVolatile(head, PaddedCell.LONG) == 0;
    }

    /** Owner: the whole chain as its first block's {@code index + 1} (0 when empty); the swap synchronizes with every push before it. */
    static int takeAll(long[] head) {
        return (int) (long) PaddedCell.LONGS.getAndSet(head, PaddedCell.LONG, 0L);
    }
}
