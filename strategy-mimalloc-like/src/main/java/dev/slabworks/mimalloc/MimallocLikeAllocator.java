package dev.slabworks.mimalloc;

import dev.slabworks.api.AllocatorUnusableException;
import dev.slabworks.api.Reallocation;
import dev.slabworks.api.Allocator;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.MemoryUse;
import dev.slabworks.api.PerThread;
import dev.slabworks.api.Region;
import dev.slabworks.api.direct.DirectMappings;
import dev.slabworks.api.direct.DirectRegion;
import dev.slabworks.api.heap.Lifecycle;
import dev.slabworks.api.heap.OwnedHeap;
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
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.PointerValidator;
import dev.slabworks.api.validate.RegionMap;
import dev.slabworks.api.validate.ValidationMode;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

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
 *   <li>allocate: heap (one compare in {@link PerThread}) -&gt; {@code direct[(size+15)>>>4]} -&gt;
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
 * Slow path (both lists empty): {@link #allocateSlow} refills the current page (collected remote frees,
 * fresh blocks), walks the class's available pages, looks for full pages with remote frees, may
 * reclaim the heaps of ended threads (below), and finally takes a page from the {@link PagePool}. A
 * page whose last block is freed by its owner is retired to the pool unless it is the class's current
 * page; the pool unmaps empty segments past its LRU ({@code ss.lru.size}; see {@link PagePool}).
 *
 * <p>Region map granule: 64 KiB (the segment size if smaller), like the other strategies: a segment
 * covers several granules, and a direct block is rounded to 64 KiB of virtual size, not to a whole
 * segment (rounded to 4 MiB, a 256 KiB buffer cost an aligned mapping sixteen times its size).
 *
 * <p>Thread exit and trim (after mimalloc's abandon/reclaim and {@code mi_collect}; details and the
 * safety argument for freeing threads in {@link HeapCollector}): every heap is registered in a
 * {@link ThreadHeapRegistry}. The heap of a thread that has ended is reclaimed by a live thread: each of
 * its pages collects its remote frees, then goes back to the {@link PagePool} if empty or is adopted by
 * the live thread's heap, which frees into it locally from then on. This happens
 * <ul>
 *   <li>in {@link #trim}, into the caller's heap, which then collects all its own pages too (remote
 *       frees collected, every empty page given back, the current ones included), and the pool unmaps
 *       empty segments past its LRU ({@code ss.lru.size}) and purges what is due;</li>
 *   <li>without anyone asking, in {@link #findPage} just before a heap takes a page from the pool, when
 *       the registry says a scan is due (a heap registered since the last scan, i.e. threads come and go,
 *       or every {@value ThreadHeapRegistry#SCAN_EVERY}-th take). So thread churn does not grow the
 *       mapped memory without bound even if nobody calls {@code trim()}.</li>
 * </ul>
 * Heaps of threads that are alive but idle keep their pages until their own thread calls {@code trim()}
 * or frees or allocates its way through them. {@link #close} unmaps all.
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
    private final ThreadHeapRegistry<Heap> heapRegistry = new ThreadHeapRegistry<>(h -> h.thread);
    private final HeapCollector collector;
    private final SlowOperations slow = new SlowOperations();
    private final Lifecycle life;
    /** The heap of the thread that called last (starts as a placeholder no thread owns). */
    private Heap lastHeap;
    private final boolean debugChecks;
    private final Page empty;
    private final boolean mincoreCached;
    private final int segmentShift;

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
        this.directMappings = new DirectMappings(os, regions, s.directCacheCount(), s.directCacheBytes());
        this.mid = new MidPath(os, s.mid());
        this.smallMax = s.mid().smallMax();
        // a direct-table slot serves 16 sizes: above small.max none may use it, even in the slot of small.max
        this.directLimit = Math.min(Heap.DIRECT_MAX, smallMax);
        this.pool = new PagePool(os, stats, regions, s.segmentSize(), s.pageSize(), s.mediumPageSize(),
                s.smallPageMinBlocks(), s.purgeDelayMs(), s.purgeAdvice(), s.lruSize());
        this.collector = new HeapCollector(pool, heapRegistry);
        this.debugChecks = s.debugChecks();
        this.empty = new Page(null, 0, 0);
        this.mincoreCached = validator.mode() == ValidationMode.MINCORE_CACHED;
        this.segmentShift = Long.numberOfTrailingZeros(s.segmentSize());
        this.heaps = new PerThread<>(this::newHeap);
        this.lastHeap = new Heap(null, null, null, null, empty);
    }

    private Heap newHeap() {
        Heap h = new Heap(Thread.currentThread(), stats.registerThread(), validator.newThreadCache(),
                mid.newThreadCache(), empty);
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
        Heap heap = lastHeap;
        if (heap.thread != Thread.currentThread() || !life.usableNow()) {
            return allocateAfterHeapChange(size); // out of line: see the free path's comment (and where closed throws)
        }
        return allocate(heap, size);
    }

    /** {@link #allocate} by a thread other than the last caller's: its heap first. */
    private long allocateAfterHeapChange(long size) {
        return allocateInside(heap(), size);
    }

    /**
     * The allocations the fast path does not finish, as one operation of {@code heap} (see {@link OwnedHeap} for the
     * frame): a page taken from the pool or a segment mapped, a direct mapping. The fast path touches Java arrays only.
     */
    private long allocateInside(Heap heap, long size) {
        int s = heap.enter();
        try {
            if (!life.usableNow()) {
                throw life.unusable();
            }
            long p = Long.compareUnsigned(size, smallMax) > 0
                    ? allocateLarge(heap, size) : allocateSlow(heap, SizeClasses.classOf(size));
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
            p.localFree = Page.NONE; // free is empty: this thread's own frees become the allocation list (O(1))
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
     * The calling thread's heap, remembered in {@link #lastHeap} for the next call: the same
     * one-compare idea as {@link PerThread}, one indirection shorter on the fast paths. Racy on
     * purpose: a heap is only ever used by the thread it names.
     */
    private Heap heap() {
        Heap h = heaps.get();
        if (h.mayTakeCache()) {
            lastHeap = h;
        }
        return h;
    }

    /** Above {@code small.max}: the mid path up to 32 KiB, a direct mapping beyond. */
    private long allocateLarge(Heap heap, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        return SizeClasses.isSmall(size) ? mid.allocate(size, heap.stats) : directMappings.allocate(size, heap.stats);
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
    private Page findPage(Heap heap, int cls) {
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

    // ---------------------------------------------------------------- free

    /**
     * Free. The fast path, a block of a page in the heap's page cache ({@link Heap#pageCache}: MINCORE_CACHED,
     * a page this heap owns), is
     * straight-line code that returns or leaves for an out-of-line method, never to rejoin: a slow path
     * that merged back into it (a change of heap, a page not yet cached) would make the JIT compile the
     * two together once a fresh allocator had taken it, and the merged code measured ~10 % slower on
     * random-mixed (c) (harness, a fresh allocator per repetition: 50-51M vs 55-56M ops/s).
     */
    @Override
    public void free(long address) {
        Heap heap = lastHeap;
        if (heap.thread != Thread.currentThread()) {
            freeAfterHeapChange(address);
            return;
        }
        freeInside(heap, address);
    }

    private void freeAfterHeapChange(long address) {
        freeInside(heap(), address);
    }

    /** {@link #free} as one operation of {@code heap}. */
    private void freeInside(Heap heap, long address) {
        int s = heap.enter();
        try {
            if (!life.usableNow()) {
                throw life.unusable();
            }
            free(heap, address);
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
     * A free the page cache did not place: the known segments, else the validator ({@link #find}); the page
     * found enters the cache when this heap owns it.
     */
    private void freePageMissed(Heap heap, long address) {
        Region r = find(heap, address);
        if (r instanceof Segment s) {
            freeInSegment(heap, s, address);
        } else if (r instanceof DirectRegion d) {
            directMappings.free(d, address, heap.stats);
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
        if (p.owner == heap) { // the common case: a block of one of this thread's pages
            long off = address - p.start;
            int b = p.blockIndex(off);
            long bs = p.blockSize;
            if (b * bs == off && b < p.capacity && p.freeLocal(b)) {
                heap.stats.freedBlockBytes(bs); // its count follows from used: see Page, "Counting"
                if (--p.used == 0 || p.inFull) {
                    pageFreed(heap, p);
                }
                return;
            }
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
        int b = blockOf(p, address, heap.stats);
        if (p.owner == heap) {
            throw InvalidFreeException.doubleFree(address, heap.stats);
        }
        if (!p.isShared()) {
            p.markSharing(); // the owner's frees claim with a CAS from now on; those already running are waited for
            life.quiesceFrom(heap, heapRegistry.snapshot());
            p.markShared(); // nothing plain can still be running: later remote freers need not wait
        }
        if (!p.remoteFree(b)) {
            throw InvalidFreeException.doubleFree(address, heap.stats);
        }
        heap.stats.increment(Stat.REMOTE_FREES);
        heap.stats.freedBlock(cls);
    }

    /**
     * The region owning {@code address}, or null. In MINCORE_CACHED mode the heap first checks the
     * segments it confirmed ({@link Heap#knownSegments}, direct-mapped by segment number; the seed's
     * "skip known ranges"): an address inside one needs neither
     * the syscall nor the map look-up. That segment may have been unmapped since (an empty segment
     * past the pool's LRU): then every page of its descriptor is retired, so no free through it
     * passes the local check, and the slow paths ({@link #freeElsewhere}, {@link #usableSize}) see
     * {@link Segment#released}, forget it and look the address up again. Anything else goes through
     * the validator, which counts and caches in turn.
     */
    private Region find(Heap heap, long address) {
        if (mincoreCached) {
            Segment k = knownSegment(heap, address);
            if (k != null) {
                return k;
            }
        }
        return lookUp(heap, address);
    }

    /** The heap's known segment holding {@code address} (a counted cache hit), or null; MINCORE_CACHED only. */
    private Segment knownSegment(Heap heap, long address) {
        Segment k = heap.knownSegments[Heap.knownSlot(address, segmentShift)];
        if (k != null && ((address - k.start) >>> segmentShift) == 0) {
            heap.stats.mincoreCacheHit();
            return k;
        }
        return null;
    }

    /** The validator's answer for {@code address}, remembered among the known segments in MINCORE_CACHED mode. */
    private Region lookUp(Heap heap, long address) {
        Region r = validator.find(address, heap.stats, heap.mincoreCache);
        if (mincoreCached && r instanceof Segment s && !s.released) {
            heap.knownSegments[Heap.knownSlot(address, segmentShift)] = s;
        }
        return r;
    }

    /** A local free emptied {@code p} or hit a page in the full queue. */
    private void pageFreed(Heap heap, Page p) {
        if (p.used == 0 && heap.current[p.cls] != p) {
            heap.giveBack(p, pool);
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
            throw InvalidFreeException.interior(address, ts, "inside a page never used");
        }
        long off = address - p.start;
        int b = p.blockIndex(off);
        long bs = p.blockSize;
        if (b * bs != off || b >= p.capacity) {
            throw InvalidFreeException.interior(address, ts,
                    "not the start of a " + bs + "-byte block of " + p);
        }
        if (p.owner == null) {
            throw InvalidFreeException.doubleFree(address, ts, "block of a retired page");
        }
        return b;
    }



    // ---------------------------------------------------------------- the rest of the SPI

    @Override
    public long usableSize(long address) {
        Heap heap = heap();
        return life.operation(heap, slow, USABLE_SIZE, address, 0);
    }

    private long usableSize(Heap heap, long address) {
        Region r = find(heap, address);
        if (r instanceof Segment s && s.released && heap.forgetSegment(s)) {
            r = find(heap, address);
        }
        if (r instanceof Segment s) {
            Page p = s.pageOf(address);
            long bs = p.blockSize;
            int b = blockOf(p, address, heap.stats);
            if (!p.isAllocated(b)) {
                throw InvalidFreeException.doubleFree(address, heap.stats);
            }
            return bs;
        }
        if (r instanceof DirectRegion d) {
            return directMappings.usableSize(d, address, heap.stats);
        }
        return mid.usableSize(address, heap.stats, heap.midCache); // FOREIGN unless a mid block
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
        return life.operation(heap, slow, REALLOCATE, address, newSize);
    }

    /**
     * Reclaims the heaps of every thread that has ended into the calling thread's heap, collects that
     * heap (remote frees, empty pages back to the pool) and trims the pool (empty segments past the LRU
     * unmapped, due pages purged); see the class comment. Live blocks, wherever they are, stay intact and
     * can be freed by any thread afterwards.
     */
    @Override
    public void trim() {
        Heap heap = heap();
        life.operation(heap, slow, TRIM, 0, 0);
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

    /**
     * Unmaps everything. Idempotent. Every call that starts after it fails with
     * {@link dev.slabworks.api.AllocatorUnusableException}; calls already running on other threads finish
     * first (it waits for them: see {@link Lifecycle}). {@link #stats()} keeps working after close. If the
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
        if (settings.lruDebug()) { // the LRU of empty segments; no prewarm, no front cache here
            report.lru(settings.lruSize(), "segments", Stat.SEGMENTS_PEAK);
        }
        report.kernelFailures(os.lastFailure());
        os.requireAllReleased();
    }

    // ---------------------------------------------------------------- for tests and debugging

    /** Segments mapped now. */
    int segmentCount() {
        return pool.segmentCount();
    }

    /** Empty segments the pool keeps mapped now. */
    int emptySegmentCount() {
        return pool.emptySegmentCount();
    }

    /** Heaps registered and not reclaimed (tests). */
    int registeredHeaps() {
        return heapRegistry.size();
    }

    /** Heaps of ended threads reclaimed so far (tests). */
    long reclaimedHeaps() {
        return heapRegistry.reclaimed();
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

    private static final int USABLE_SIZE = 0;
    private static final int REALLOCATE = 1;
    private static final int TRIM = 2;

    /** The operations off the fast paths, for {@link Lifecycle#operation}: made once, so no call site links late. */
    private final class SlowOperations implements Lifecycle.Body {
        @Override
        public long run(OwnedHeap owned, int op, long a, long b) {
            Heap heap = (Heap) owned;
            return switch (op) {
                case USABLE_SIZE -> usableSize(heap, a);
                case REALLOCATE -> Reallocation.reallocate(MimallocLikeAllocator.this, a, b, heap.stats);
                default -> trim(heap);
            };
        }
    }

    private long trim(Heap heap) {
        collector.trim(heap);
        return directMappings.trim() + mid.trim();
    }
}
