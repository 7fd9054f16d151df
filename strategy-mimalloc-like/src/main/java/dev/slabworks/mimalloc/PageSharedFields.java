package dev.slabworks.mimalloc;

import dev.slabworks.api.heap.PaddedCell;
import dev.slabworks.api.sizeclass.SizeClasses;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The fields of a {@link Page} that a remote freer reads: written when the page is assigned (or, for
 * {@link #share}, by remote freers), read by every thread that frees into it. {@link PageOwnerFields} holds what
 * the owner writes on every allocation and free, at least a cache line away, so that a remote free's reads here
 * do not take the owner's line away, nor the owner's next write take it back. HotSpot lays out a superclass's
 * fields before its subclass's, but fills the superclass's gaps with the subclass's small fields: the owner's
 * queue links and flags, which change once per move of the page, land here; its counts and list heads do not.
 * <pre>
 *   | header | PageSharedFields (+ queue links, flags) | 64 B padding | owner's counts and heads | 64 B padding |
 *                                                       ^ PageOwnerFields                          ^ Page
 * </pre>
 * This holds for HotSpot's default object layout; with {@code -XX:+UseCompactObjectHeaders} or without compressed
 * class pointers the owner's {@code carved} can land in a gap here. Measured on remote-free:
 * benchmarks/measured/README.md, "Warm trace replays, the adaptive purge delay, the page layout".
 */
abstract class PageSharedFields {
    static final VarHandle SHARE;

    static {
        try {
            SHARE = MethodHandles.lookup().findVarHandle(PageSharedFields.class, "share", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Segment segment;
    /** First byte of the page: segment base + index * pageSize. */
    final long start;
    /** Bytes of the page ({@code 1 << segment.pageShift}); 0 for the empty sentinel, which contains nothing. */
    final long size;
    /** Owning heap, or null while the page is in the pool. */
    Heap owner;
    /** Size class, or -1 for a page never assigned (the empty sentinel too). */
    int cls = -1;
    /** Block size of {@link #cls}; kept after retirement so a stale free can still be named a double free. */
    long blockSize;
    /** {@link SizeClasses#reciprocal} of {@link #cls}: the block index by multiply and shift. */
    long reciprocal;
    int capacity;
    /** Head of the frees other threads pushed, alone on its cache line (see {@link PaddedCell}): they CAS it. */
    final int[] threadFree = PaddedCell.ints();
    /**
     * 0 while private; {@link Page#SHARING} from a remote freer's first mark (the owner's frees CAS from then on);
     * {@link Page#SHARED} once that freer has fenced every thread, so the claims of owner frees in flight are
     * visible; {@link Page#SETTLED} once the owner has freed or refilled since (none of its plain frees can be in
     * flight). Written through SHARE, read plain by the owner. SHARING and SHARED are two steps so that a second
     * remote freer arriving before the first one's fence fences too rather than trust a claim it may not see.
     */
    byte share;
    /** Each block's state and its successor on its list (see {@link Page}); remote freers CAS a block's entry. */
    int[] link;

    PageSharedFields(Segment segment, long start, long size) {
        this.segment = segment;
        this.start = start;
        this.size = size;
        threadFree[PaddedCell.INT] = Page.NONE; // published with the page, like its final fields' values
    }
}
