package dev.slabworks.api.slab;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A slab's remote links ({@link RemoteStack}), static over its page table (so that a link costs no load of an object
 * beside the slab's): for each block on the remote stack or the taken chain, the next
 * block's {@code index + 1}, in pages of {@link #PAGE} entries made when a remote free first needs one.
 * <pre>
 *   pages: [ p0 | null | p2 | null | ... ]      (capacity + PAGE - 1) / PAGE slots
 *   p0:    [ link of block 0 | 1 | ... | PAGE - 1 ]   int[PAGE], Java heap
 * </pre>
 * Paged, not one {@code int[capacity]}: a slab is carved from its start, so a program that keeps a few thousand blocks
 * of a class live touches a page or two of a 2 MiB SuperSlab's 128 (16-byte blocks), and superslab formats SuperSlabs
 * thousands of times a second on larson, where whole arrays doubled the young collections' pauses. A page, once set,
 * never changes.
 */
final class RemoteLinks {
    static final int SHIFT = 10;
    static final int PAGE = 1 << SHIFT;
    private static final int MASK = PAGE - 1;
    private static final VarHandle PAGES = MethodHandles.arrayElementVarHandle(int[][].class);

    private RemoteLinks() {
    }

    /** The page table of a slab of {@code capacity} blocks, every page still to make. */
    static int[][] newPages(int capacity) {
        return new int[(capacity + PAGE - 1) >>> SHIFT][];
    }

    /**
     * Any thread about to write block {@code b}'s link: its page, made by the first thread that needs it (a racing
     * second gets the first's). Read with acquire, so that the page's setting happens before this thread's push, and
     * so before the owner's take of the chain: the owner then reads the page plainly ({@link #next}).
     */
    static int[] pageFor(int[][] pages, int b) {
        int slot = b >>> SHIFT;
        int[] page = (int[]) PAGES.getAcquire(pages, slot);
        return page != null ? page : make(pages, slot);
    }

    private static int[] make(int[][] pages, int slot) {
        int[] made = new int[PAGE];
        int[] page = (int[]) PAGES.compareAndExchange(pages, slot, (int[]) null, made);
        return page != null ? page : made;
    }

    /** Block {@code b}'s slot in its page. */
    static int slot(int b) {
        return b & MASK;
    }

    /** Any thread owning block {@code b} as REMOTE and not yet pushed: sets its link. */
    static void set(int[][] pages, int b, int next) {
        pageFor(pages, b)[b & MASK] = next;
    }

    /** Owner, for a block of a chain it took: the next block's {@code index + 1}, 0 at the end. */
    static int next(int[][] pages, int b) {
        return pages[b >>> SHIFT][b & MASK];
    }
}
