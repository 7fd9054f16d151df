package dev.slabworks.mimalloc;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.api.PerThread;
import dev.slabworks.api.Region;
import dev.slabworks.api.direct.DirectMappings;
import dev.slabworks.api.direct.DirectRegion;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.PointerValidator;
import dev.slabworks.api.validate.RegionMap;
import dev.slabworks.api.validate.ValidationMode;

import java.util.function.Consumer;

/**
 * A mimalloc-style allocator (after Leijen, Zorn and de Moura, "Mimalloc: Free List Sharding in
 * Action"): aligned {@link Segment}s cut into {@link Page}s of one size class each, every page with
 * its three sharded free lists, and a per-thread {@link Heap} whose direct table turns a small
 * allocation into a few loads and a pop. Blocks above 32 KiB get their own mapping
 * ({@link DirectMappings}).
 *
 * <p>Fast paths, single thread, no lock, no allocation, no division:
 * <ol>
 *   <li>allocate: heap (one compare in {@link PerThread}) -&gt; {@code direct[(size+15)>>>4]} -&gt;
 *       pop {@code page.free} -&gt; mark ALLOCATED -&gt; {@code start + index * blockSize};</li>
 *   <li>free: validate (the {@code validation} knob; default MINCORE_CACHED, the seed's Phase B) -&gt;
 *       segment -&gt; page by shift -&gt; block index by reciprocal multiply -&gt; boundary and state
 *       checks -&gt; owner's page: push {@code localFree}; other thread's page: CAS onto {@code threadFree}.</li>
 * </ol>
 * Slow path: {@link #allocateSlow} refills the current page (local frees, collected remote frees,
 * fresh blocks), walks the class's available pages, looks for full pages with remote frees, and
 * finally takes a page from the {@link PagePool}. A page whose last block is freed by its owner is
 * retired to the pool unless it is the class's current page.
 *
 * <p>Region map granule = segment size: a segment is one granule, and direct blocks are rounded to
 * it too (their virtual size, not their resident size).
 *
 * <p>Thread exit: a dead thread's heap keeps its pages (no abandonment/adoption yet); frees from
 * other threads still land on those pages' {@code threadFree} lists, and {@link #close} unmaps all.
 */
public final class MimallocLikeAllocator implements Allocator {
    public static final String NAME = "mimalloc-like";

    private final Knobs knobs;
    private final Os os = new Os();
    private final Stats stats = new Stats(os);
    private final PointerValidator<Region> validator;
    private final DirectMappings directMappings;
    private final PagePool pool;
    private final PerThread<Heap> heaps;
    /** The heap of the thread that called last (starts as a placeholder no thread owns). */
    private Heap lastHeap;
    private final boolean debugChecks;
    private final Page empty;
    private final boolean mincoreCached;
    private final int segmentShift;

    public MimallocLikeAllocator(Knobs knobs) {
        this.knobs = knobs;
        long segmentSize = knobs.longValue(Knob.SEGMENT_SIZE);
        long pageSize = knobs.longValue(Knob.PAGE_SIZE);
        if (pageSize < 2L * SizeClasses.MAX_SIZE || pageSize > SizeClasses.MAX_DIVIDEND) {
            throw new IllegalArgumentException(Knob.PAGE_SIZE.key() + " must be between " + 2 * SizeClasses.MAX_SIZE
                    + " (two blocks of the largest class) and " + SizeClasses.MAX_DIVIDEND + ": " + pageSize);
        }
        if (pageSize > segmentSize) {
            throw new IllegalArgumentException(Knob.PAGE_SIZE.key() + " (" + pageSize + ") exceeds "
                    + Knob.SEGMENT_SIZE.key() + " (" + segmentSize + ")");
        }
        RegionMap<Region> regions = new RegionMap<>(segmentSize);
        this.validator = new PointerValidator<>(ValidationMode.from(knobs, ValidationMode.MINCORE_CACHED), regions, os, knobs);
        this.directMappings = new DirectMappings(os, regions);
        this.pool = new PagePool(os, stats, regions, segmentSize, pageSize, knobs.longValue(Knob.PURGE_DELAY_MS),
                knobs.choice(Knob.PURGE_ADVICE, Advice.class));
        this.debugChecks = knobs.flag(Knob.DEBUG_CHECKS);
        this.empty = new Page(null, 0);
        this.mincoreCached = validator.mode() == ValidationMode.MINCORE_CACHED;
        this.segmentShift = Long.numberOfTrailingZeros(segmentSize);
        this.heaps = new PerThread<>(() -> new Heap(Thread.currentThread(), stats.registerThread(), validator.newThreadCache(), empty));
        this.lastHeap = new Heap(null, null, null, empty);
    }

    @Override
    public String name() {
        return NAME;
    }

    public ValidationMode validationMode() {
        return validator.mode();
    }

    // ---------------------------------------------------------------- allocate

    @Override
    public long allocate(long size) {
        Heap heap = lastHeap;
        if (heap.thread != Thread.currentThread()) {
            heap = heap();
        }
        Page p;
        if (Long.compareUnsigned(size, Heap.DIRECT_MAX) <= 0) {
            p = heap.direct[(int) ((size + 15) >>> 4)];
        } else if (Long.compareUnsigned(size, SizeClasses.MAX_SIZE) <= 0) {
            p = heap.current[SizeClasses.classOf(size)];
        } else {
            return allocateLarge(heap, size);
        }
        int b = p.free;
        if (b >= 0) {
            int[] link = p.link;
            p.free = link[b];
            link[b] = Page.ALLOCATED;
            p.used++;
            long bs = p.blockSize;
            heap.stats.allocated(bs);
            return p.start + b * bs;
        }
        return allocateSlow(heap, SizeClasses.classOf(size));
    }

    /**
     * The calling thread's heap, remembered in {@link #lastHeap} for the next call: the same
     * one-compare idea as {@link PerThread}, one indirection shorter on the fast paths. Racy on
     * purpose: a heap is only ever used by the thread it names.
     */
    private Heap heap() {
        Heap h = heaps.get();
        lastHeap = h;
        return h;
    }

    private long allocateLarge(Heap heap, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        return directMappings.allocate(size, heap.stats);
    }

    private long allocateSlow(Heap heap, int cls) {
        Page p = findPage(heap, cls);
        if (debugChecks) {
            heap.checkInvariants(false);
        }
        int b = p.free;
        p.free = p.link[b];
        p.link[b] = Page.ALLOCATED;
        p.used++;
        heap.stats.allocated(p.blockSize);
        return p.start + b * p.blockSize;
    }

    /** A page of class {@code cls} with a block on its free list, made current. */
    private Page findPage(Heap heap, int cls) {
        Page p = heap.current[cls];
        while (p != empty && p != null) {
            Page after = p.queueNext;
            if (p.refill()) {
                heap.makeCurrent(p);
                return p;
            }
            heap.makeFull(p);
            p = after;
        }
        for (Page q = heap.fullHead(cls); q != null; q = q.queueNext) {
            if (q.hasThreadFrees()) {
                q.collectThreadFrees();
                if (q.free != Page.NONE) {
                    heap.makeCurrent(q);
                    return q;
                }
            }
        }
        Page fresh = pool.acquire(heap, cls);
        fresh.refill();
        heap.makeCurrent(fresh);
        return fresh;
    }

    // ---------------------------------------------------------------- free

    @Override
    public void free(long address) {
        Heap heap = lastHeap;
        if (heap.thread != Thread.currentThread()) {
            heap = heap();
        }
        Region r = find(heap, address);
        if (r instanceof Segment s) {
            Page p = s.pageOf(address);
            if (p.owner == heap) { // the common case: a block of one of this thread's pages
                long off = address - p.start;
                int b = p.blockIndex(off);
                long bs = p.blockSize;
                int[] link = p.link;
                if (b * bs == off && b < p.capacity && link[b] == Page.ALLOCATED) {
                    link[b] = p.localFree;
                    p.localFree = b;
                    heap.stats.freed(bs);
                    if (--p.used == 0 || p.inFull) {
                        pageFreed(heap, p);
                    }
                    return;
                }
            }
            freeElsewhere(heap, p, address);
        } else if (r instanceof DirectRegion d) {
            directMappings.free(d, address, heap.stats);
        } else {
            throw foreign(address, heap.stats);
        }
    }

    /** A free that is not a valid local one: a remote free, or a rejection of the right kind. */
    private void freeElsewhere(Heap heap, Page p, long address) {
        long bs = p.blockSize; // read before the CAS: after it the owner may retire the page
        int b = blockOf(p, address, heap.stats);
        if (p.owner == heap || !p.remoteFree(b)) {
            throw doubleFree(address, heap.stats);
        }
        heap.stats.increment(Stat.REMOTE_FREES);
        heap.stats.freed(bs);
    }

    /**
     * The region owning {@code address}, or null. In MINCORE_CACHED mode the heap first checks the
     * segment it confirmed last: segments are unmapped only by {@link #close}, so a segment this
     * thread once confirmed (mincore, then the region map) stays a live region of this allocator,
     * and an address inside it needs neither the syscall nor the map look-up (the seed's "skip
     * known ranges"). Anything else goes through the validator, which counts and caches in turn.
     */
    private Region find(Heap heap, long address) {
        if (mincoreCached) {
            Segment last = heap.lastSegment;
            if (last != null && ((address - last.start) >>> segmentShift) == 0) {
                heap.stats.increment(Stat.MINCORE_CACHE_HITS);
                return last;
            }
            Region r = validator.find(address, heap.stats, heap.mincoreCache);
            if (r instanceof Segment s) {
                heap.lastSegment = s;
            }
            return r;
        }
        return validator.find(address, heap.stats, heap.mincoreCache);
    }

    /** A local free emptied {@code p} or hit a page in the full queue. */
    private void pageFreed(Heap heap, Page p) {
        if (p.used == 0 && heap.current[p.cls] != p) {
            heap.unlink(p);
            pool.release(p, heap.stats);
        } else if (p.inFull) {
            heap.makeAvailable(p);
        }
        if (debugChecks) {
            heap.checkInvariants(false);
        }
    }

    /**
     * The index of the block starting at {@code address} in {@code p}, or a rejection: INTERIOR
     * when the address is not a block start of the page's class, DOUBLE_FREE when it is the start
     * of a block of a page no heap owns now (freed, then the page retired).
     */
    private static int blockOf(Page p, long address, ThreadStats ts) {
        int cls = p.cls;
        if (cls < 0) {
            throw InvalidFreeException.rejected(Kind.INTERIOR, address, ts, "inside a page never used");
        }
        long off = address - p.start;
        int b = p.blockIndex(off);
        long bs = p.blockSize;
        if (b * bs != off || b >= p.capacity) {
            throw InvalidFreeException.rejected(Kind.INTERIOR, address, ts,
                    "not the start of a " + bs + "-byte block of " + p);
        }
        if (p.owner == null) {
            throw InvalidFreeException.rejected(Kind.DOUBLE_FREE, address, ts, "block of a retired page");
        }
        return b;
    }

    private static InvalidFreeException doubleFree(long address, ThreadStats ts) {
        return InvalidFreeException.rejected(Kind.DOUBLE_FREE, address, ts, "block is not allocated");
    }

    private static InvalidFreeException foreign(long address, ThreadStats ts) {
        return InvalidFreeException.rejected(Kind.FOREIGN, address, ts, "not mapped by this allocator");
    }

    // ---------------------------------------------------------------- the rest of the SPI

    @Override
    public long usableSize(long address) {
        Heap heap = heaps.get();
        Region r = find(heap, address);
        if (r instanceof Segment s) {
            Page p = s.pageOf(address);
            long bs = p.blockSize;
            int b = blockOf(p, address, heap.stats);
            if (!p.isAllocated(b)) {
                throw doubleFree(address, heap.stats);
            }
            return bs;
        }
        if (r instanceof DirectRegion d) {
            return directMappings.usableSize(d, address, heap.stats);
        }
        throw foreign(address, heap.stats);
    }

    @Override
    public long reallocate(long address, long newSize) {
        if (address == 0) {
            return allocate(newSize);
        }
        if (newSize < 0) {
            throw new IllegalArgumentException("negative size: " + newSize);
        }
        long old = usableSize(address);
        if (newSize <= old && newSize >= old >>> 1 && (newSize > SizeClasses.MAX_SIZE) == (old > SizeClasses.MAX_SIZE)) {
            heaps.get().stats.increment(Stat.REALLOCATIONS);
            return address; // fits, and not so much smaller that keeping it wastes half
        }
        long fresh = allocate(newSize);
        Memory.copy(address, fresh, Math.min(old, newSize));
        free(address);
        heaps.get().stats.increment(Stat.REALLOCATIONS);
        return fresh;
    }

    @Override
    public Knobs knobs() {
        return knobs;
    }

    @Override
    public StatsSnapshot stats() {
        return stats.snapshot();
    }

    @Override
    public void close() {
        directMappings.closeAll();
        pool.close();
    }

    // ---------------------------------------------------------------- for tests and debugging

    /** Segments mapped now. */
    int segmentCount() {
        return pool.segmentCount();
    }

    /** Every page descriptor of every segment (tests; not thread-safe against owners). */
    void forEachPage(Consumer<Page> action) {
        pool.forEachPage(action);
    }

    /**
     * Checks the calling thread's heap and all its pages against their invariants; with
     * {@code quiescent} (no free in flight anywhere) also each page's threadFree length.
     */
    void checkCallingHeap(boolean quiescent) {
        heaps.get().checkInvariants(quiescent);
    }

    /** The calling thread's heap (tests). */
    Heap callingHeap() {
        return heaps.get();
    }
}
