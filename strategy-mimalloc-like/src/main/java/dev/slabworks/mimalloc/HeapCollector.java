package dev.slabworks.mimalloc;

import dev.slabworks.api.direct.DirectFront;
import dev.slabworks.api.heap.ThreadHeapRegistry;
import dev.slabworks.api.sizeclass.SizeClasses;

/**
 * Collection and thread-exit reclamation, after mimalloc's {@code mi_collect} and its abandon/reclaim
 * of the heaps of ended threads (done here by a live thread, since Java gives no hook at thread exit):
 * <ul>
 *   <li>{@link #collect}: a heap collects the remote frees of all its pages, and every page left with no
 *       used block goes back to the {@link PagePool}, the current ones too ({@code mi_collect(force)});
 *       full pages that got blocks back become available.</li>
 *   <li>{@link #reclaimDeadHeaps}: every heap whose thread has ended (found once each through the
 *       {@link ThreadHeapRegistry}) is handed over to the calling thread's heap: each of its pages
 *       collects its remote frees, then goes back to the pool if empty or is adopted
 *       ({@link Heap#adopt}) otherwise. The dead heap owns nothing afterwards.</li>
 * </ul>
 * Reclamation happens in the allocator's {@code trim()}, into the caller's heap, which then collects all its own
 * pages too, after which the pool unmaps empty segments past its LRU ({@code ss.lru.size}) and purges what is due
 * ({@link #trim}); and without anyone asking, in {@link PageFinder} just before a heap takes a page from the pool,
 * when the registry says a scan is due (a heap registered since the last scan, i.e. threads come and go, or every
 * {@value ThreadHeapRegistry#SCAN_EVERY}-th take: {@link #reclaimIfDue}). So thread churn does not grow the mapped
 * memory without bound even if nobody calls {@code trim()}. Heaps of threads that are alive but idle keep their
 * pages until their own thread calls {@code trim()} or frees or allocates its way through them.
 *
 * <p>Empty pages going back to the pool is what lets the pool unmap empty segments past its LRU. A page
 * keeps the counts it has not counted yet ({@link Page}, "Counting") through an adoption; they reach the
 * row of whichever heap gives it back to the pool (or, at close, the closing thread's row), so the dead
 * thread's row is never written.
 *
 * <p>Why handing a page to another heap is safe while other threads free into it. The free path
 * compares {@code page.owner} with the freeing thread's OWN heap, and only then touches the owner-only
 * fields ({@code localFree}, {@code used}, the queues); any other value sends it down the remote path,
 * which touches only the page's own atomics ({@code link[b]} by CAS ALLOCATED -&gt; REMOTE_FREED, rewritten
 * with a new successor while the {@code threadFree} CAS push retries), never the heap. Writes of {@code owner}:
 * (a) {@link Page#assign} by the thread taking the page for its heap, (b) {@link Heap#adopt} by the
 * thread taking it over for its heap from a heap whose thread has ended, (c) {@code null} at retirement,
 * by the thread whose heap owns the page or, for a dead heap's page, by the adopting thread. So
 * {@code owner == myHeap} holds exactly while my heap owns the page: I wrote that value myself, and no
 * other thread takes a page away from a live heap; a stale value read racily (the dead heap, the old
 * owner, null) is never my heap, so the free goes remote, which is right for every non-owner. A
 * block pushed on {@code threadFree} before, during or after the hand-over stays there: the list
 * belongs to the page, and whoever owns the page at its next collection (the adopter, or the dead
 * heap's reclaimer during the hand-over) takes it. Until collected, a remotely freed block counts in
 * {@code used}, so a page with a block in flight is never judged empty: it is never retired, nor its
 * segment unmapped, under a freer's feet. A page judged empty had no block ALLOCATED, so a free racing
 * its retirement fails its CAS and is reported as a double free, as it is. The reclaimer may touch the
 * dead heap's plain fields because {@link ThreadHeapRegistry#takeDead} returns a heap once, after seeing
 * its thread ended (happens-before from all that thread did); the adopter's thread alone touches the
 * page's owner-only fields from then on.
 */
final class HeapCollector {
    private final PagePool pool;
    private final ThreadHeapRegistry<Heap> registry;

    HeapCollector(PagePool pool, ThreadHeapRegistry<Heap> registry) {
        this.pool = pool;
        this.registry = registry;
    }

    /** {@code heap} must be the calling thread's: collect everything it holds, then trim the pool. */
    void trim(Heap heap) {
        reclaimDeadHeaps(heap);
        collect(heap);
        pool.trim(heap.stats);
    }

    /**
     * Slow path of a heap about to take a page from the pool: reclaims dead heaps if the registry says a
     * scan is due (a heap registered since the last scan, or every {@value ThreadHeapRegistry#SCAN_EVERY}-th
     * take). True if any heap was reclaimed, so the caller's queues may have new pages.
     */
    boolean reclaimIfDue(Heap heap) {
        return registry.scanDue(++heap.acquires) && reclaimDeadHeaps(heap);
    }

    /** Reclaims the heap of every thread that has ended into {@code adopter}, the calling thread's heap. */
    boolean reclaimDeadHeaps(Heap adopter) {
        boolean any = false;
        for (Heap dead : registry.takeDead()) {
            handOver(dead, adopter);
            DirectFront.giveBack(dead.directFront);
            dead.stats.retire(); // nothing writes its row any more
            any = true;
        }
        return any;
    }

    /** Every page of {@code dead} goes to the pool (empty) or to {@code adopter} (see the class comment). */
    private void handOver(Heap dead, Heap adopter) {
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            Page p;
            while ((p = dead.anyPage(cls)) != null) {
                dead.unlink(p);
                if (p.hasThreadFrees()) {
                    p.collectThreadFrees();
                }
                if (p.used == 0) {
                    pool.release(p, adopter.stats);
                } else {
                    adopter.adopt(p);
                }
            }
        }
        dead.forgetAll();
    }

    /** Collects the remote frees of every page of {@code heap} (the calling thread's) and gives back its empty pages. */
    void collect(Heap heap) {
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            for (Page p = heap.availableHead(cls), next; p != null; p = next) {
                next = p.queueNext;
                collectOrRelease(heap, p);
            }
            for (Page p = heap.fullHead(cls), next; p != null; p = next) {
                next = p.queueNext;
                if (!collectOrRelease(heap, p) && p.free != Page.NONE) {
                    heap.makeAvailable(p);
                }
            }
        }
    }

    /** Collects {@code p}'s remote frees; gives it back to the pool (true) when that leaves it empty. */
    private boolean collectOrRelease(Heap heap, Page p) {
        if (p.hasThreadFrees()) {
            p.collectThreadFrees();
        }
        if (p.used != 0) {
            return false;
        }
        heap.giveBack(p, pool);
        return true;
    }
}
