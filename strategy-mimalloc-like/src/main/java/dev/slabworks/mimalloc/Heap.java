package dev.slabworks.mimalloc;

import dev.slabworks.api.direct.DirectFront;
import dev.slabworks.api.heap.OwnedHeap;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.MincoreCache;

/**
 * One thread's heap: for each size class a queue of the pages it owns, and the direct table that
 * makes the small-size fast path one load.
 *
 * <pre>
 *   direct[(size + 15) >>> 4]  for size &lt;= 1024   --+
 *   current[cls]               for every class     --+--&gt; head page of available[cls] (or EMPTY)
 *   available[cls]: head = current, then pages that may have free blocks (doubly linked)
 *   full[cls]:      pages found full; a local free or a remote free collected later brings one back
 * </pre>
 * Invariant: {@code current[cls] == (available[cls] head or EMPTY)}, and every {@code direct[g]}
 * equals {@code current[classOf(16 g)]}. Owner thread only, no locks; once that thread has ended, the
 * one live thread that took the heap out of the registry empties it ({@link HeapCollector}). Pages on the
 * available queue other than the head may already have blocks on {@code free} (adopted or collected
 * pages): {@link Page#refill} keeps such a list.
 *
 * <p>The queues are linked by hand through {@link Page#queuePrev} and {@link Page#queueNext}, not with api's
 * {@code IntrusiveList} as the pool's lists are: the head of an available queue is the fast path's current page,
 * kept in {@code current} and every {@code direct} slot of its class at each change, and an empty queue is the
 * {@code empty} sentinel page rather than null, so that the allocation fast path loads a page and never tests for
 * null. A list that owned its head would need both mirrored on every change anyway.
 */
final class Heap extends OwnedHeap {
    /** Largest size served through {@link #direct}. */
    static final int DIRECT_MAX = 1024;
    private static final int DIRECT_SLOTS = (DIRECT_MAX >>> 4) + 1;
    /** The granules {@code g} of {@link #direct} whose class is {@code cls}: {@code [FIRST[cls], LAST[cls]]}. */
    private static final int[] FIRST_GRANULE = new int[SizeClasses.COUNT];
    private static final int[] LAST_GRANULE = new int[SizeClasses.COUNT];

    static {
        java.util.Arrays.fill(FIRST_GRANULE, Integer.MAX_VALUE);
        java.util.Arrays.fill(LAST_GRANULE, -1);
        for (int g = 0; g < DIRECT_SLOTS; g++) {
            int c = SizeClasses.classOf((long) g << 4);
            FIRST_GRANULE[c] = Math.min(FIRST_GRANULE[c], g);
            LAST_GRANULE[c] = Math.max(LAST_GRANULE[c], g);
        }
    }

    /** The thread this heap belongs to (null for the placeholder). */
    final ThreadStats stats;
    final MincoreCache mincoreCache;
    /** The mid path's per-thread cache (its MINCORE_CACHED mode); null without a mid path. */
    final MincoreCache midCache;
    /** This thread's own freed direct mapping ({@link DirectFront}); null for the placeholder or with fronts off. */
    final DirectFront directFront;
    /** Size of {@link #knownSegments}; a power of two. */
    static final int KNOWN_SEGMENTS = 64;
    /**
     * Segments this thread confirmed in MINCORE_CACHED mode, direct-mapped by the low bits of the
     * segment number ({@code address >>> segmentShift}); null slots are empty. More than one because
     * small and medium pages live in different segments and a heap's blocks span many
     * (random-mixed (d): ~74 MB live, ~20 segments of 4 MiB; 8 slots thrashed there, 64 cover 256 MiB).
     */
    final Segment[] knownSegments = new Segment[KNOWN_SEGMENTS];
    /** Size of {@link #pageCache}; a power of two (4096 units of 64 KiB: a 256 MiB window before two units share a slot). */
    static final int PAGE_CACHE = 4096;
    /** The page cache's unit: 64 KiB, the smallest page ({@code page.size} is at least two 32 KiB blocks). */
    static final int PAGE_CACHE_SHIFT = 16;
    /**
     * The free fast path's page cache (the seed's TLS page cache, one step past {@link #knownSegments}):
     * the page of a recent free, direct-mapped by 64 KiB unit ({@link #pageSlot}), so a free into a page
     * this heap owns is one load from here, then the page's own fields; no segment, no page table.
     * <pre>
     *   pageCache[(address &gt;&gt;&gt; 16) mod 4096] = the page holding a unit with that slot, or EMPTY
     *   a medium page (2 MiB) is entered unit by unit, as frees reach its units
     * </pre>
     * Invariant: every entry is {@code empty} or a page this heap owns. An entry is written only for a
     * page whose owner is this heap ({@link MimallocLikeAllocator}'s free slow path), and a page leaves
     * this heap only by release to the pool, which goes through {@link #giveBack} and forgets it first, or with the whole
     * heap when its thread has ended ({@link HeapCollector} empties the cache). So a stale entry never
     * pins the descriptors of a released segment, and a hit needs only the range check of an aliased
     * slot; the fast path still checks {@code owner} as well, one load on a line it reads anyway.
     */
    final Page[] pageCache = new Page[PAGE_CACHE];
    /** Pages this heap took from the pool, for {@link dev.slabworks.api.heap.ThreadHeapRegistry#scanDue}. */
    int acquires;
    final Page[] direct = new Page[DIRECT_SLOTS];
    final Page[] current = new Page[SizeClasses.COUNT];
    private final Page[] fullHead = new Page[SizeClasses.COUNT];
    private final Page empty;

    Heap(Thread thread, ThreadStats stats, MincoreCache mincoreCache, MincoreCache midCache, DirectFront directFront,
         Page empty) {
        super(thread);
        this.stats = stats;
        this.mincoreCache = mincoreCache;
        this.midCache = midCache;
        this.directFront = directFront;
        this.empty = empty;
        java.util.Arrays.fill(direct, empty);
        java.util.Arrays.fill(current, empty);
        java.util.Arrays.fill(pageCache, empty);
    }

    /** The slot of {@link #pageCache} for an address. */
    static int pageSlot(long address) {
        return (int) (address >>> PAGE_CACHE_SHIFT) & (PAGE_CACHE - 1);
    }

    /** Enters {@code p}, the page of {@code address}, in the page cache if this heap owns it. */
    void rememberPage(long address, Page p) {
        if (p.owner == this) {
            pageCache[pageSlot(address)] = p;
        }
    }

    /** A local free emptied {@code p} (not the current page of its class: it goes to the pool) or hit it in the full queue. */
    void afterLocalFree(Page p, PagePool pool) {
        if (p.used == 0 && current[p.cls] != p) {
            giveBack(p, pool);
        } else if (p.inFull) {
            makeAvailable(p);
        }
    }

    /**
     * Gives {@code p}, an empty page of this heap, back to {@code pool}: off its queue and out of the page
     * cache first (the cache's invariant), then released.
     */
    void giveBack(Page p, PagePool pool) {
        unlink(p);
        forget(p);
        pool.release(p, stats);
    }

    /** Drops {@code p} from the page cache: the heap is about to give it back to the pool. */
    private void forget(Page p) {
        for (long unit = p.start; unit - p.start < p.size; unit += 1L << PAGE_CACHE_SHIFT) {
            int i = pageSlot(unit);
            if (pageCache[i] == p) {
                pageCache[i] = empty;
            }
        }
    }

    /** Empties the page cache and the known segments (the heap's thread has ended; see {@link HeapCollector}). */
    void forgetAll() {
        java.util.Arrays.fill(pageCache, empty);
        java.util.Arrays.fill(knownSegments, null);
    }

    /** The slot of {@link #knownSegments} for an address. */
    static int knownSlot(long address, int segmentShift) {
        return (int) (address >>> segmentShift) & (KNOWN_SEGMENTS - 1);
    }

    /** Drops {@code s} from {@link #knownSegments}; true if it was there. Slow path. */
    boolean forgetSegment(Segment s) {
        for (int i = 0; i < KNOWN_SEGMENTS; i++) {
            if (knownSegments[i] == s) {
                knownSegments[i] = null;
                return true;
            }
        }
        return false;
    }

    /** Makes {@code p} the head of {@code available[cls]} (unlinking it from wherever it was). */
    void makeCurrent(Page p) {
        int cls = p.cls;
        Page head = current[cls];
        if (head == p) {
            return;
        }
        unlink(p);
        p.inFull = false;
        p.queuePrev = null;
        p.queueNext = head == empty ? null : head;
        if (head != empty) {
            head.queuePrev = p;
        }
        setHead(cls, p);
    }

    /** Appends {@code p} (just found not full again) to the tail side of {@code available[cls]}, after the head. */
    void makeAvailable(Page p) {
        Page head = current[p.cls];
        if (head != empty && (head == p || !p.inFull)) {
            return;
        }
        unlink(p);
        p.inFull = false;
        joinAvailable(p);
    }

    /** Puts {@code p}, on no queue, into {@code available[cls]}: as its head when it is empty, else after the head. */
    private void joinAvailable(Page p) {
        int cls = p.cls;
        Page head = current[cls];
        if (head == empty) {
            setHead(cls, p);
            return;
        }
        p.queuePrev = head;
        p.queueNext = head.queueNext;
        if (head.queueNext != null) {
            head.queueNext.queuePrev = p;
        }
        head.queueNext = p;
    }

    /** Moves {@code p} from available to full. */
    void makeFull(Page p) {
        unlink(p);
        int cls = p.cls;
        p.inFull = true;
        p.queuePrev = null;
        p.queueNext = fullHead[cls];
        if (p.queueNext != null) {
            p.queueNext.queuePrev = p;
        }
        fullHead[cls] = p;
    }

    /** Takes {@code p} out of whichever queue holds it. */
    void unlink(Page p) {
        int cls = p.cls;
        Page prev = p.queuePrev;
        Page next = p.queueNext;
        if (prev != null) {
            prev.queueNext = next;
        } else if (p.inFull) {
            if (fullHead[cls] == p) {
                fullHead[cls] = next;
            }
        } else if (current[cls] == p) {
            setHead(cls, next == null ? empty : next);
        }
        if (next != null) {
            next.queuePrev = prev;
        }
        p.queuePrev = null;
        p.queueNext = null;
    }

    /**
     * Takes in {@code p}, a non-empty page of a heap whose thread has ended (calling thread = this heap's
     * thread; {@code p} is on no queue): this heap owns it from now on. It joins the available queue after
     * the head (or becomes the head), unless it has nothing to give, then the full queue.
     */
    void adopt(Page p) {
        p.owner = this; // read racily by freeing threads: see MimallocLikeAllocator, "Thread exit"
        p.inFull = false;
        p.queuePrev = null;
        p.queueNext = null;
        if (p.free == Page.NONE && p.localFree == Page.NONE && p.carved == p.capacity) {
            makeFull(p);
            return;
        }
        joinAvailable(p);
    }

    /**
     * The first page of class {@code cls} this heap owns (available queue first, then full), or null.
     * For taking every page out of a heap.
     */
    Page anyPage(int cls) {
        return current[cls] != empty ? current[cls] : fullHead[cls];
    }

    /** The head of {@code available[cls]}, or null. */
    Page availableHead(int cls) {
        return current[cls] == empty ? null : current[cls];
    }

    Page fullHead(int cls) {
        return fullHead[cls];
    }

    private void setHead(int cls, Page p) {
        current[cls] = p;
        for (int g = FIRST_GRANULE[cls], last = LAST_GRANULE[cls]; g <= last; g++) {
            direct[g] = p;
        }
    }

    /** Checks the queue invariants of the class comment and each owned page's own (debug). */
    void checkInvariants(boolean quiescent) {
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            for (Page p = current[cls] == empty ? null : current[cls]; p != null; p = p.queueNext) {
                if (p.owner != this || p.cls != cls || p.inFull) {
                    throw new IllegalStateException(p + " is in available[" + cls + "] of the wrong heap or class");
                }
                p.checkInvariants(quiescent);
            }
            for (Page p = fullHead[cls]; p != null; p = p.queueNext) {
                if (p.owner != this || p.cls != cls || !p.inFull) {
                    throw new IllegalStateException(p + " is in full[" + cls + "] of the wrong heap or class");
                }
                p.checkInvariants(quiescent);
            }
        }
        for (int g = 0; g < DIRECT_SLOTS; g++) {
            if (direct[g] != current[SizeClasses.classOf((long) g << 4)]) {
                throw new IllegalStateException("direct[" + g + "] is not the current page of its class");
            }
        }
        for (int i = 0; i < PAGE_CACHE; i++) {
            Page p = pageCache[i];
            if (p != empty && (p.owner != this || pageSlot(p.start) > i || pageSlot(p.start + p.size - 1) < i)) {
                throw new IllegalStateException("pageCache[" + i + "] holds " + p + ", not a page of this heap with a unit there");
            }
        }
    }
}
