package dev.slabworks.mimalloc;

import dev.slabworks.api.list.IntrusiveList;
import dev.slabworks.api.purge.PurgeDelay;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The fields of a {@link Page} its owner thread writes (and the pool, under its lock), a cache line after
 * {@link PageSharedFields}: see there for why and for the layout.
 */
abstract class PageOwnerFields extends PageSharedFields {
    static final VarHandle LOCAL_FREE;

    static {
        try {
            LOCAL_FREE = MethodHandles.lookup().findVarHandle(PageOwnerFields.class, "localFree", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long pad0, pad1, pad2, pad3, pad4, pad5, pad6, pad7; // declared first: laid out first of its longs

    int carved;
    int used;
    /** Allocations since the last {@link Page#countInto} (see "Counting"; a long: a page can serve billions). */
    long uncountedAllocations;
    /** {@link #used} at the last {@link Page#countInto}, less the remote frees collected since. */
    long usedAtCount;
    /** Head of the allocation list. */
    int free = Page.NONE;
    /**
     * Head of the owner's own frees, and the owner's claim on a block it is freeing: stored before the free reads
     * {@link #share}, and with release so a later value implies the earlier frees' {@code link} stores (see Page,
     * "An owner free against a remote free"). Every store that takes its blocks for allocation is a release store
     * ({@link Page#clearLocalFree}); the others withdraw a failed claim or reset a page no heap owns.
     */
    int localFree = Page.NONE;

    // ---- the owner heap's queues (owner thread only): linked by hand, not an IntrusiveList (see Heap)
    Page queueNext;
    Page queuePrev;
    /** True while the page sits in its heap's full queue rather than its available queue. */
    boolean inFull;
    // ---- the pool (under the pool's lock)
    long retiredAtNanos;
    boolean purged;
    /** {@code System.nanoTime()} of its last purge, or {@code PurgeDelay.NEVER}: whether taking it back was premature. */
    long purgedAt = PurgeDelay.NEVER;
    /** Its place in the pool's {@code warm} or {@code purged} list; on neither while a heap owns it. */
    final IntrusiveList.Link<Page> poolLink = new IntrusiveList.Link<>((Page) this);

    PageOwnerFields(Segment segment, long start, long size) {
        super(segment, start, size);
    }
}
