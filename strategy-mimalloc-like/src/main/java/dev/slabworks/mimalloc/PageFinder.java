package dev.slabworks.mimalloc;

/**
 * The allocate slow path of {@link MimallocLikeAllocator} (mimalloc's {@code mi_find_page}), taken when the page
 * a size class allocates from has nothing on either of its local free lists: a block from a page of that class
 * with a free block, made the class's current page. The page, in order:
 * <ol>
 *   <li>the heap's own pages: the current one refilled (remote frees collected, fresh blocks), then the class's
 *       other available pages, each made full when it has nothing; then full pages that received remote
 *       frees;</li>
 *   <li>when the registry says a scan is due, the heaps of ended threads reclaimed into this one
 *       ({@link HeapCollector#reclaimIfDue}), whose adopted pages may serve, and the heap's own pages again;</li>
 *   <li>finally a page from the {@link PagePool}.</li>
 * </ol>
 * A page whose last block is freed by its owner is retired to the pool unless it is the class's current
 * page; the pool unmaps empty segments past its LRU ({@code ss.lru.size}; see {@link PagePool}).
 */
final class PageFinder {
    private final PagePool pool;
    private final HeapCollector collector;
    /** The placeholder page every slot of a fresh heap points at: never has a free block. */
    private final Page empty;
    private final boolean debugChecks;

    PageFinder(PagePool pool, HeapCollector collector, Page empty, boolean debugChecks) {
        this.pool = pool;
        this.collector = collector;
        this.empty = empty;
        this.debugChecks = debugChecks;
    }

    /** A block of class {@code cls} for {@code heap}, from the page {@link #find} makes current. */
    long allocate(Heap heap, int cls) {
        Page p = find(heap, cls);
        if (debugChecks) {
            heap.checkInvariants(false);
        }
        int b = p.free;
        p.free = p.link[b];
        p.link[b] = Page.ALLOCATED;
        p.used++;
        p.uncountedAllocations++;
        long bs = p.blockSize;
        heap.stats.allocatedBlockBytes(bs);
        return p.start + b * bs;
    }

    /**
     * A page of class {@code cls} with a block on its free list, made current: one of the heap's own,
     * else (after reclaiming the heaps of ended threads when a scan is due, whose pages may serve) one
     * from the pool.
     */
    private Page find(Heap heap, int cls) {
        Page p = ownPageWithFreeBlock(heap, cls);
        if (p == null && collector.reclaimIfDue(heap)) {
            p = ownPageWithFreeBlock(heap, cls);
        }
        if (p == null) {
            p = pool.acquire(heap, cls);
            p.refill();
        }
        if (p != heap.current[cls]) {
            heap.stats.sampleLive(); // a change of page: see ThreadStats for why this bounds the peak's error
        }
        heap.makeCurrent(p);
        return p;
    }

    /** One of the heap's pages of class {@code cls} that has (or, refilled, gets) a free block; or null. */
    private Page ownPageWithFreeBlock(Heap heap, int cls) {
        Page p = heap.current[cls];
        while (p != empty && p != null) {
            Page after = p.queueNext;
            if (p.refill()) {
                return p;
            }
            heap.makeFull(p);
            p = after;
        }
        for (Page q = heap.fullHead(cls); q != null; q = q.queueNext) {
            if (q.hasThreadFrees()) {
                q.collectThreadFrees();
                if (q.free != Page.NONE) {
                    return q;
                }
            }
        }
        return null;
    }
}
