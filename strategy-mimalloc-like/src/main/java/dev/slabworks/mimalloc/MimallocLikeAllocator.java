package dev.slabworks.mimalloc;

import dev.slabworks.api.AllocatorUnusableException;
import dev.slabworks.api.Allocator;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.MemoryUse;
import dev.slabworks.api.PerThread;
import dev.slabworks.api.Region;
import dev.slabworks.api.direct.DirectMappings;
import dev.slabworks.api.direct.DirectRegion;
import dev.slabworks.api.heap.Lifecycle;
import dev.slabworks.api.heap.ThreadHeapRegistry;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.mid.MidPath;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.CloseReport;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.api.validate.PointerValidator;
import dev.slabworks.api.validate.RegionMap;
import dev.slabworks.api.validate.ValidationMode;

import java.lang.foreign.MemorySegment;

/**
 * A mimalloc-style allocator (after Leijen, Zorn and de Moura, "Mimalloc: Free List Sharding in
 * Action"): aligned {@link Segment}s cut into {@link Page}s of one size class each (small pages, or
 * medium ones for classes a small page holds few blocks of: see {@link PagePool}), every page with
 * its three sharded free lists, and a per-thread {@link Heap} whose direct table turns a small
 * allocation into a few loads and a pop. Blocks above 32 KiB get their own mapping
 * ({@link DirectMappings}).
 *
 * <p>Fast paths, single thread, no lock, no allocation, no division:
 * <ol>
 *   <li>allocate: heap (two-entry heap cache, else {@link PerThread}) -&gt; {@code direct[(size+15)>>>4]} -&gt;
 *       pop {@code page.free} (when it is empty, the page's {@code localFree} becomes its free list in
 *       place, O(1): mimalloc's sharded lists, without leaving the fast path) -&gt; mark ALLOCATED -&gt;
 *       count it on the page, its bytes in the thread's stats ({@link Page}, "Counting") -&gt;
 *       {@code start + index * blockSize};</li>
 *   <li>free: validate (the {@code validation} knob; default MINCORE_CACHED, the seed's Phase B, where the
 *       heap's page cache places most frees with one load, else its known segments, else the validator) -&gt;
 *       segment -&gt; page by shift -&gt; block index by reciprocal multiply -&gt; boundary and state
 *       checks -&gt; owner's page: push {@code localFree}, its bytes to the thread's stats (its count
 *       follows from the page's {@code used}); other thread's page: CAS onto {@code threadFree}.</li>
 * </ol>
 * Slow path (both lists empty): {@link PageFinder} finds a page with a free block (the heap's own pages, the
 * heaps of ended threads, the {@link PagePool}) and allocates from it.
 *
 * <p>Region map granule: 64 KiB (the segment size if smaller), like the other strategies: a segment
 * covers several granules, and a direct block is rounded to 64 KiB of virtual size, not to a whole
 * segment (rounded to 4 MiB, a 256 KiB buffer cost an aligned mapping sixteen times its size).
 *
 * <p>Thread exit and trim: the heap of a thread that has ended is reclaimed by a live thread, in {@link #trim}
 * (which also collects the caller's own heap) and without anyone asking when a heap is about to take a page
 * from the pool; see {@link HeapCollector} for what, when and why it is safe. {@link #close} unmaps all.
 */
public final class MimallocLikeAllocator implements Allocator {
    /** The region map's granule, and so the rounding of a direct block's mapping (see the class comment). */
    private static final long DIRECT_GRANULE = 64 << 10;
    public static final String NAME = "mimalloc-like";

    private final Knobs knobs;
    private final MimallocLikeSettings settings;
    private final Os os;
    private final Stats stats;
    private final PointerValidator<Region> validator;
    private final DirectMappings directMappings;
    private final MidPath mid;
    /** {@code small.max}: larger requests leave the size classes (a final field, read once per allocate). */
    private final long smallMax;
    /** The largest size the heaps' direct tables serve: {@link Heap#DIRECT_MAX}, or {@code small.max} below it. */
    private final long directLimit;
    private final PagePool pool;
    private final PerThread<Heap> heaps;
    private final ThreadHeapRegistry<Heap> heapRegistry;
    private final HeapCollector collector;
    private final PageFinder pages;
    private final SegmentLookup lookup;
    private final MimallocLikeSlowOperations slow;
    private final Lifecycle life;
    /**
     * A two-entry cache of the heaps of recent callers, tried before {@link #heaps} (both start as a placeholder no
     * thread owns): see {@link #heap}.
     */
    private Heap cachedHeap0;
    private Heap cachedHeap1;
    private final boolean debugChecks;
    private final Page empty;
    private final boolean mincoreCached;

    /** Over the C library's kernel (tests and tools; the factory passes the {@link Os} it is given). */
    public MimallocLikeAllocator(Knobs knobs) {
        this(knobs, new Os());
    }

    /** Every kernel call through {@code os}, which is this allocator's from now on. */
    public MimallocLikeAllocator(Knobs knobs, Os os) {
        Lifecycle.initialize(Heap.class, Page.class, Segment.class, AllocatorUnusableException.class, InvalidFreeException.Kind.class, Memory.class, DirectRegion.class, MidPath.class); // see Lifecycle.initialize
        this.knobs = knobs;
        this.os = os;
        this.stats = new Stats(os);
        this.life = new Lifecycle(NAME, os);
        MimallocLikeSettings s = MimallocLikeSettings.from(knobs);
        this.settings = s;
        RegionMap<Region> regions = new RegionMap<>(Math.min(s.segmentSize(), DIRECT_GRANULE));
        this.validator = new PointerValidator<>(s.validation(), regions, os, s.mincoreCacheEntries());
        this.directMappings = new DirectMappings(os, regions, s.directCacheCount(), s.directCacheBytes(),
                s.directFrontBytes());
        this.mid = new MidPath(os, s.mid());
        this.smallMax = s.mid().smallMax();
        // a direct-table slot serves 16 sizes: above small.max none may use it, even in the slot of small.max
        this.directLimit = Math.min(Heap.DIRECT_MAX, smallMax);
        this.pool = new PagePool(os, stats, regions, s.segmentSize(), s.pageSize(), s.mediumPageSize(),
                s.smallPageMinBlocks(), s.purgeDelayMs(), s.purgeDelayMaxMs(), s.purgeAdvice(), s.lruSize());
        this.heaps = new PerThread<>(this::newHeap); // makes a heap on a thread's first call, after this constructor
        this.heapRegistry = new ThreadHeapRegistry<>(h -> h.thread, heaps);
        this.collector = new HeapCollector(pool, heapRegistry);
        this.debugChecks = s.debugChecks();
        this.empty = new Page(null, 0, 0);
        this.pages = new PageFinder(pool, collector, empty, debugChecks);
        this.mincoreCached = validator.mode() == ValidationMode.MINCORE_CACHED;
        this.lookup = new SegmentLookup(validator, mincoreCached, Long.numberOfTrailingZeros(s.segmentSize()));
        this.slow = new MimallocLikeSlowOperations(this, lookup, collector, directMappings, mid, s.reallocGrowth());
        this.cachedHeap0 = new Heap(null, null, null, null, null, empty);
        this.cachedHeap1 = cachedHeap0;
    }

    private Heap newHeap() {
        Heap h = new Heap(Thread.currentThread(), stats.registerThread(), validator.newThreadCache(settings.segmentSize()),
                mid.newThreadCache(), directMappings.newFront(), empty);
        heapRegistry.register(h);
        return h;
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
        Thread t = Thread.currentThread(); // entries are never null (a placeholder at first): no cachedFor
        Heap heap = cachedHeap0;
        if (heap.thread != t) {
            heap = cachedHeap1;
            if (heap.thread != t) {
                return allocateAfterHeapChange(size);
            }
        }
        if (!life.usableNow()) {
            return allocateAfterHeapChange(size); // out of line: see the free path's comment (and where closed throws)
        }
        return allocate(heap, size);
    }

    /** {@link #allocate} by a thread neither cache entry holds, or when closed: its heap, then the same paths. */
    private long allocateAfterHeapChange(long size) {
        Heap heap = heap();
        return life.usableNow() ? allocate(heap, size) : allocateInside(heap, size);
    }

    /**
     * The allocations the fast path does not finish, as one operation of {@code heap} (see {@link dev.slabworks.api.heap.OwnedHeap} for the
     * frame): a page taken from the pool or a segment mapped, a direct mapping. The fast path touches Java arrays only.
     */
    private long allocateInside(Heap heap, long size) {
        int s = heap.enter();
        try {
            if (!life.usableNow()) {
                throw life.unusable();
            }
            long p = Long.compareUnsigned(size, smallMax) > 0
                    ? allocateLarge(heap, size) : pages.allocate(heap, SizeClasses.classOf(size));
            heap.exit(s);
            return p;
        } catch (Throwable t) {
            if (s != 0) {
                heap.ops = (heap.ops | 1) + 1;
            }
            life.failed(t);
            throw t;
        }
    }

    private long allocate(Heap heap, long size) {
        Page p;
        if (Long.compareUnsigned(size, directLimit) <= 0) {
            p = heap.direct[(int) ((size + 15) >>> 4)];
        } else if (Long.compareUnsigned(size, smallMax) <= 0) {
            p = heap.current[SizeClasses.classOf(size)];
        } else {
            return allocateInside(heap, size);
        }
        int b = p.free;
        if (b < 0 && !debugChecks && (b = p.localFree) >= 0) {
            p.clearLocalFree(); // free is empty: this thread's own frees become the allocation list (O(1))
        }
        if (b >= 0) {
            int[] link = p.link;
            p.free = link[b];
            link[b] = Page.ALLOCATED;
            p.used++;
            p.uncountedAllocations++; // counted per page, the bytes at once: see Page, "Counting"
            long bs = p.blockSize;
            heap.stats.allocatedBlockBytes(bs);
            return p.start + b * bs;
        }
        return allocateInside(heap, size);
    }

    /**
     * The calling thread's heap ({@link PerThread}), stored into the heap cache as {@link Heap#cacheEntryFor} says:
     * two threads working at once each find their heap with a load and a compare. Racy on purpose: a heap is only
     * ever used by the thread it names.
     */
    private Heap heap() {
        Heap h = heaps.get();
        switch (h.cacheEntryFor(cachedHeap0, cachedHeap1)) {
            case 0 -> cachedHeap0 = h;
            case 1 -> cachedHeap1 = h;
            default -> { }
        }
        return h;
    }

    /** Above {@code small.max}: the mid path up to 32 KiB, a direct mapping beyond. */
    private long allocateLarge(Heap heap, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        return SizeClasses.isSmall(size) ? mid.allocate(size, heap.stats) : directMappings.allocate(size, heap.stats, heap.directFront);
    }

    // ---------------------------------------------------------------- free

    /**
     * Free. The fast path, a block of a page in the heap's page cache ({@link Heap#pageCache}: MINCORE_CACHED,
     * a page this heap owns), is
     * straight-line code that returns or leaves for an out-of-line method, never to rejoin: a slow path
     * that merged back into it (a change of heap, a page not yet cached) would make the JIT compile the
     * two together once a fresh allocator had taken it, and the merged code measured ~10 % slower on
     * random-mixed (c) (harness, a fresh allocator per repetition: 50-51M vs 55-56M ops/s).
     *
     * <p>The fast path takes no {@link dev.slabworks.api.heap.OwnedHeap} frame: it touches Java arrays and fields
     * only, so a racing close cannot hurt it, and a remote free racing it is settled by the page's claim (see
     * {@link Page}, "An owner free against a remote free"). Giving an emptied page back to the pool, which may
     * call the kernel, is framed ({@link #pageFreedInside}); so is every other free ({@link #freeInside}). The
     * frame's two stores had cost 5-8 % of random-mixed (c).
     */
    @Override
    public void free(long address) {
        Thread t = Thread.currentThread();
        Heap heap = cachedHeap0;
        if (heap.thread != t) {
            heap = cachedHeap1;
            if (heap.thread != t) {
                freeAfterHeapChange(address);
                return;
            }
        }
        Page p = heap.pageCache[Heap.pageSlot(address)]; // filled in MINCORE_CACHED mode only
        try {
            if (Long.compareUnsigned(address - p.start, p.size) < 0 && life.usableNow() && p.freeByOwner(heap, address)) {
                heap.stats.mincoreCacheHit();
                if (p.used == 0 || p.inFull) {
                    pageFreedInside(heap, p);
                }
                return;
            }
        } catch (Throwable e) {
            life.failed(e);
            throw e;
        }
        freeInside(heap, address);
    }

    /** {@link #pageFreed} as one operation of {@code heap}: it may give the page back to the pool. */
    private void pageFreedInside(Heap heap, Page p) {
        inFrame(heap, 0, p);
    }

    private void freeAfterHeapChange(long address) {
        freeInside(heap(), address);
    }

    /** {@link #free} as one operation of {@code heap}. */
    private void freeInside(Heap heap, long address) {
        inFrame(heap, address, null);
    }

    /**
     * One operation of {@code heap}: the free of {@code address}, or, when {@code emptied} is not null, what the
     * frameless free of a block of {@code emptied} left to do ({@link #pageFreed}; skipped once closed, since close
     * releases the page with everything else).
     */
    private void inFrame(Heap heap, long address, Page emptied) {
        int s = heap.enter();
        try {
            if (emptied != null) {
                if (life.usableNow()) {
                    pageFreed(heap, emptied);
                }
            } else if (!life.usableNow()) {
                throw life.unusable();
            } else {
                free(heap, address);
            }
            heap.exit(s);
        } catch (Throwable t) {
            if (s != 0) {
                heap.ops = (heap.ops | 1) + 1;
            }
            life.failed(t);
            throw t;
        }
    }

    /** {@link #free} by {@code heap}'s thread. */
    private void free(Heap heap, long address) {
        Page p = heap.pageCache[Heap.pageSlot(address)]; // filled in MINCORE_CACHED mode only
        if (Long.compareUnsigned(address - p.start, p.size) < 0) {
            heap.stats.mincoreCacheHit();
            freeInPage(heap, p, address);
            return;
        }
        freePageMissed(heap, address);
    }

    /**
     * A free the page cache did not place: the known segments, else the validator ({@link SegmentLookup}); the page
     * found enters the cache when this heap owns it.
     */
    private void freePageMissed(Heap heap, long address) {
        Region r = lookup.find(heap, address);
        if (r instanceof Segment s) {
            freeInSegment(heap, s, address);
        } else if (r instanceof DirectRegion d) {
            directMappings.free(d, address, heap.stats, heap.directFront);
        } else {
            mid.free(address, heap.stats, heap.midCache); // FOREIGN unless a mid block
        }
    }

    /** Free of {@code address} in segment {@code s}, found without the page cache: its page enters the cache. */
    private void freeInSegment(Heap heap, Segment s, long address) {
        Page p = s.pageOf(address);
        if (mincoreCached) {
            heap.rememberPage(address, p);
        }
        freeInPage(heap, p, address);
    }

    /** Free of {@code address}, which lies in page {@code p} (of a segment perhaps released since: see {@link #freeElsewhere}). */
    private void freeInPage(Heap heap, Page p, long address) {
        if (p.freeByOwner(heap, address)) { // the common case: a block of one of this thread's pages
            if (p.used == 0 || p.inFull) {
                pageFreed(heap, p);
            }
            return;
        }
        freeElsewhere(heap, p, address);
    }

    /** A free that is not a valid local one: a remote free, or a rejection of the right kind. */
    private void freeElsewhere(Heap heap, Page p, long address) {
        if (p.segment.released) {
            if (heap.forgetSegment(p.segment)) { // a stale cached segment: look the address up afresh, once
                free(heap, address);
                return;
            }
            throw InvalidFreeException.doubleFree(address, heap.stats, "block of an unmapped segment");
        }
        int cls = p.cls; // read before the CAS: after it the owner may retire the page
        int b = p.blockOf(address, heap.stats);
        if (p.owner == heap) {
            throw InvalidFreeException.doubleFree(address, heap.stats);
        }
        p.beforeRemoteFree(life);
        if (!p.remoteFree(b)) {
            throw InvalidFreeException.doubleFree(address, heap.stats);
        }
        heap.stats.increment(Stat.REMOTE_FREES);
        heap.stats.freedBlock(cls);
    }

    /** A local free emptied {@code p} or hit a page in the full queue. */
    private void pageFreed(Heap heap, Page p) {
        heap.afterLocalFree(p, pool);
        if (debugChecks) {
            heap.checkInvariants(false);
        }
    }

    // ---------------------------------------------------------------- the rest of the SPI

    @Override
    public long usableSize(long address) {
        Heap heap = heap();
        return life.operation(heap, slow, MimallocLikeSlowOperations.USABLE_SIZE, address, 0);
    }

    /** A view of a live block that fails cleanly, rather than crashing, once its memory is unmapped (see {@link Region#view}). */
    @Override
    public MemorySegment segment(long address) {
        long length = usableSize(address);
        return mid.mapHolding(validator.regions(), address).view(address, length);
    }

    /** Ties {@code scope} to the block's mapping: closed before it is unmapped (see {@link Region#bind}). */
    @Override
    public void bindScope(long address, java.lang.foreign.Arena scope) {
        usableSize(address); // a live block of this allocator, or the exception that says why not
        mid.mapHolding(validator.regions(), address).bind(address, scope);
    }

    @Override
    public long reallocate(long address, long newSize) {
        Heap heap = heap();
        return life.operation(heap, slow, MimallocLikeSlowOperations.REALLOCATE, address, newSize);
    }

    /**
     * Reclaims the heaps of ended threads into the caller's, collects it and trims the pool (see {@link HeapCollector}).
     * Live blocks, wherever they are, stay intact and can be freed by any thread afterwards.
     */
    @Override
    public void trim() {
        Heap heap = heap();
        life.operation(heap, slow, MimallocLikeSlowOperations.TRIM, 0, 0);
    }

    @Override
    public Knobs knobs() {
        return knobs;
    }

    @Override
    public MemoryUse memoryUse() {
        return MemoryUse.of(os);
    }

    @Override
    public StatsSnapshot stats() {
        return stats.snapshot(pool::addUncountedTo);
    }

    /** Freed direct mappings in the shared cache now (tests). */
    int directCachedCount() {
        return directMappings.cachedCount();
    }

    /** Counter rows the stats keep now (for tests: ended threads' rows are folded when their heaps are reclaimed). */
    int statsRows() {
        return stats.rows();
    }

    /**
     * Unmaps everything. Idempotent. Every call that starts after it fails with
     * {@link dev.slabworks.api.AllocatorUnusableException}; calls already running on other threads finish
     * first (it waits for them: see {@link Lifecycle}), but for a frameless owner free, which touches Java objects
     * only and may be left out of the stats close counts. {@link #stats()} keeps working after close. If the
     * kernel refuses to unmap something even on a last retry, everything else is unmapped first, the close
     * report says so, and close throws {@link dev.slabworks.api.os.OsException} (see {@link Os}).
     */
    @Override
    public void close() {
        if (!life.beginClose()) {
            return;
        }
        life.quiesce(heapRegistry.snapshot(), null);
        directMappings.closeAll();
        mid.closeAll();
        pool.close();
        os.retryUnreleased();
        CloseReport report = new CloseReport(System.err, NAME, stats.snapshot());
        settings.report(report);
        report.kernelFailures(os.lastFailure());
        os.requireAllReleased();
    }

    // ---------------------------------------------------------------- for tests and debugging

    /** The page pool: its segments and their pages (tests). */
    PagePool pool() {
        return pool;
    }

    /** The heaps registered and not reclaimed, and how many were reclaimed so far (tests). */
    ThreadHeapRegistry<Heap> heapRegistry() {
        return heapRegistry;
    }

    /** The calling thread's heap (tests: its pages, {@link Heap#checkInvariants}). */
    Heap callingHeap() {
        return heaps.get();
    }
}
