package dev.slabworks.superslab;

import dev.slabworks.api.AllocatorUnusableException;
import dev.slabworks.api.Allocator;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.MemoryUse;
import dev.slabworks.api.PerThread;
import dev.slabworks.api.Region;
import dev.slabworks.api.direct.DirectMappings;
import dev.slabworks.api.direct.DirectRegion;
import dev.slabworks.api.front.FrontCache;
import dev.slabworks.api.front.FrontCacheSpares;
import dev.slabworks.api.heap.Lifecycle;
import dev.slabworks.api.heap.OwnedHeap;
import dev.slabworks.api.heap.ThreadHeapRegistry;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.mid.MidPath;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.stats.CloseReport;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.PointerValidator;
import dev.slabworks.api.validate.RegionMap;
import dev.slabworks.api.validate.ValidationMode;

import java.lang.foreign.MemorySegment;

/**
 * The seed report's allocator, configurable: per-class SuperSlabs ({@link SuperSlab}), an LRU of empty
 * ones and prewarm ({@link SuperSlabPool}), per-thread heaps ({@link ThreadHeap}) with a front cache
 * ({@link FrontCache}), the mid path above {@code small.max} ({@link MidPath}; none by default) and direct mappings
 * above 32 KiB.
 *
 * <p>Front-direct mode ({@code tiny.front.direct}, {@code HAKMEM_TINY_FRONT_DIRECT}, default on):
 * <ul>
 *   <li>on (and {@code fc.cap > 0}): {@code allocate} pops the thread's front cache (a miss refills
 *       {@code fc.refill} blocks from the current slab); {@code free} of a block this thread owns pushes it
 *       onto the front cache (marked FREE in its slab, so a double free is still caught), flushing the
 *       coldest {@code fc.refill} back to their slabs when full.</li>
 *   <li>off, or {@code fc.cap = 0}: {@code allocate} pops the current slab's free list, {@code free}
 *       pushes onto the slab's free list; the front cache is not used.</li>
 * </ul>
 * A block freed by a thread other than its SuperSlab's owner goes through {@link RemoteFrees}: into that thread's
 * front cache ({@code fc.remote}) or the slab's remote stack.
 *
 * <p>Allocate fast path (front on): the thread's heap (an entry of the two-entry heap cache, tested by the heap's own
 * final {@code thread} field; {@link PerThread} when neither holds it), the class (a table load), a pop from the
 * front cache, the block's slab (the class's current slab when the address lies in it, which is every time
 * on random-mixed with 2 MiB SuperSlabs) and one byte store marking it ALLOCATED. No division, no
 * allocation, no lock; stats are plain per-thread counters.
 *
 * <p>Free: in REGISTRY mode the heap's table of its own SuperSlabs by aligned base ({@code p >>> log2(ss.size)})
 * first, then the validator's RegionMap look-up (MINCORE modes always go through the validator, paying their
 * syscall first); then the block index by reciprocal multiply, the Java-side state byte, one push.
 *
 * <p>Ownership: a SuperSlab belongs to the heap that formatted it (or adopted it, below). Its owner frees
 * locally (front cache or slab free list); any other thread frees through the slab's remote stack, which
 * the owner takes when its current slab runs dry (handing its blocks out unwalked, {@link Slab#takeRemote}) and
 * collects at {@link #trim}; the freeing thread may first hold the block in its own front cache ({@code fc.remote}).
 *
 * <p>Thread exit and trim: the heap of a thread that has ended is reclaimed by a live thread, in {@link #trim}
 * (which also trims the caller's own heap) and without anyone asking when a heap is about to take a SuperSlab
 * from the pool; see {@link ThreadHeap} for what, when and why it is safe.
 *
 * <p>Churn knobs: {@code ss.lru.size} (0 = unmap each emptied SuperSlab at once), {@code ss.lru.max} (the
 * most the LRU's room grows to under churn), {@code ss.prewarm}, and
 * {@code ss.reuse.partial} (false = the seed's policy of always taking a new SuperSlab when the current one
 * is dry, which is what makes emptied SuperSlabs, and churn, on a steady workload).
 *
 * <p>Validation ({@code validation}, AUTO = REGISTRY): the region comes from the RegionMap, the block
 * boundary from arithmetic on the slab, liveness from the Java-side state byte; a foreign, interior,
 * double or stale free is found in O(1) without reading the address.
 */
public final class SuperSlabAllocator implements Allocator {
    /** RegionMap granule: the smallest {@code ss.size}; direct mappings are rounded to it. */
    static final long GRANULE = 64 << 10;

    private final Knobs knobs;
    private final SuperSlabSettings settings;
    private final boolean useFront;
    /** REGISTRY validation: a free first looks in the thread's own SuperSlabs (see {@link ThreadHeap#ownSuperSlab}). */
    private final boolean registry;
    private final Os os;
    private final Stats stats;
    private final RegionMap<Region> regions = new RegionMap<>(GRANULE);
    private final PointerValidator<Region> validator;
    private final DirectMappings direct;
    private final MidPath mid;
    /** {@code small.max}: larger requests leave the size classes (a final field, read once per allocate). */
    private final long smallMax;
    private final SuperSlabPool pool;
    private final ThreadHeapRegistry<ThreadHeap> heapRegistry;
    /** Front caches of reclaimed heaps, kept for new ones. */
    private final FrontCacheSpares frontSpares = new FrontCacheSpares();
    private final PerThread<ThreadHeap> heaps;
    /**
     * A two-entry cache of the heaps of recent callers, tried before {@link #heaps}: a load and a compare of a
     * heap's final {@code thread} field each; see {@link #heap}. Published racily, which is safe: a thread uses an
     * entry only if it is its own heap, which it created itself.
     */
    private ThreadHeap cachedHeap0;
    private ThreadHeap cachedHeap1;
    private final SuperSlabSlowOperations slow;
    private final RemoteFrees remote;
    private final Lifecycle life;

    /** Over the C library's kernel (tests and tools; the factory passes the {@link Os} it is given). */
    public SuperSlabAllocator(Knobs knobs) {
        this(knobs, new Os());
    }

    /** Every kernel call through {@code os}, which is this allocator's from now on. */
    public SuperSlabAllocator(Knobs knobs, Os os) {
        Lifecycle.initialize(ThreadHeap.class, SuperSlab.class, AllocatorUnusableException.class, InvalidFreeException.Kind.class, Memory.class, DirectRegion.class, Slab.class, MidPath.class); // see Lifecycle.initialize
        this.knobs = knobs;
        this.os = os;
        this.stats = new Stats(os);
        this.life = new Lifecycle(SuperSlabFactory.NAME, os);
        this.settings = SuperSlabSettings.from(knobs);
        this.useFront = settings.useFront();
        this.validator = new PointerValidator<>(settings.validation(), regions, os, settings.mincoreCacheEntries());
        this.registry = settings.validation() == ValidationMode.REGISTRY;
        this.direct = new DirectMappings(os, regions, settings.directCacheCount(), settings.directCacheBytes(),
                settings.directFrontBytes());
        this.mid = new MidPath(os, settings.mid());
        this.smallMax = settings.mid().smallMax();
        this.pool = new SuperSlabPool(os, stats, regions, settings.ssSize(), settings.lruSize(), settings.lruMax(),
                settings.startShared());
        this.heaps = new PerThread<>(this::newHeap);
        this.heapRegistry = new ThreadHeapRegistry<>(h -> h.thread, heaps);
        this.remote = new RemoteFrees(life, heapRegistry, settings.holdRemote());
        this.slow = new SuperSlabSlowOperations(this, validator, direct, mid, pool, settings.reallocGrowth());
        try {
            pool.prewarm(settings.prewarm(), stats.registerThread());
        } catch (RuntimeException | Error e) { // a refused mmap: made nothing, left nothing mapped
            pool.closeAll();
            throw e;
        }
    }

    private ThreadHeap newHeap() {
        FrontCache front = frontSpares.take();
        if (front == null) {
            front = new FrontCache(useFront ? settings.frontCapacity() : 0, settings.frontRefill());
        }
        ThreadHeap h = new ThreadHeap(stats.registerThread(), validator.newThreadCache(settings.ssSize()),
                mid.newThreadCache(), direct.newFront(), front, pool, regions, heapRegistry, frontSpares, settings.reusePartial(),
                settings.debugChecks());
        heapRegistry.register(h);
        return h;
    }

    private ThreadHeap heap() {
        ThreadHeap h = OwnedHeap.cachedFor(cachedHeap0, cachedHeap1, Thread.currentThread());
        if (h != null) {
            return h;
        }
        h = heaps.get();
        switch (h.cacheEntryFor(cachedHeap0, cachedHeap1)) { // two threads working at once each keep an entry
            case 0 -> cachedHeap0 = h;
            case 1 -> cachedHeap1 = h;
            default -> { }
        }
        return h;
    }

    @Override
    public String name() {
        return SuperSlabFactory.NAME;
    }

    // ---------------------------------------------------------------- allocate

    @Override
    public long allocate(long size) {
        ThreadHeap h = OwnedHeap.cachedFor(cachedHeap0, cachedHeap1, Thread.currentThread());
        if (h == null || !life.usableNow()) {
            return allocateAfterHeapChange(size); // out of line: see PerThread (and where a closed allocator throws)
        }
        return allocateFast(h, size);
    }

    /** {@link #allocate} by a thread neither cache entry holds, or when closed: its heap, then the same paths. */
    private long allocateAfterHeapChange(long size) {
        ThreadHeap h = heap();
        return life.usableNow() ? allocateFast(h, size) : allocateInside(h, size);
    }

    /** A front-cache hit, which touches Java arrays only and needs no frame, or else {@link #allocateInside}. */
    private long allocateFast(ThreadHeap h, long size) {
        if (useFront && Long.compareUnsigned(size, smallMax) <= 0) {
            int cls = SizeClasses.classOf(size);
            long p = h.front.popHit(cls);
            if (p != 0) {
                Slab s = h.slabOf(cls, p);
                if (s == null) { // closed under this call (see slabOf; never while usable): the frame below says so
                    return allocateInside(h, size);
                }
                s.markAllocatedAt(p);
                h.stats.allocatedBlockFrontHit(cls);
                return p;
            }
        }
        return allocateInside(h, size);
    }

    /**
     * {@link #allocate} as one operation of {@code h} (see {@link OwnedHeap} for the frame): everything but a
     * front-cache hit, since a refill reads the slab's free list in mapped memory and a SuperSlab may be mapped.
     */
    private long allocateInside(ThreadHeap h, long size) {
        int s = h.enter();
        try {
            if (!life.usableNow()) {
                throw life.unusable();
            }
            long p = allocate(h, size);
            h.exit(s);
            return p;
        } catch (Throwable t) {
            if (s != 0) {
                h.ops = (h.ops | 1) + 1;
            }
            life.failed(t);
            throw t;
        }
    }

    private long allocate(ThreadHeap h, long size) {
        if (Long.compareUnsigned(size, smallMax) > 0) {
            return allocateLarge(h, size);
        }
        int cls = SizeClasses.classOf(size);
        long p;
        if (useFront) {
            p = h.front.popHit(cls);
            if (p == 0) {
                return allocateFrontMiss(h, cls);
            }
            Slab s = h.slabOf(cls, p);
            s.markAllocatedAt(p);
            h.stats.allocatedBlockFrontHit(cls);
        } else {
            Slab s = h.currentSlab[cls];
            p = s == null ? 0 : s.allocate();
            if (p == 0) {
                p = h.allocateSlow(cls);
            }
            h.stats.allocatedBlock(cls);
        }
        return p;
    }

    /** The front cache of {@code cls} is empty: refill it (counting the miss) and hand out one block. */
    private static long allocateFrontMiss(ThreadHeap h, int cls) {
        long p = h.front.popMiss(cls, h, h.stats);
        Slab s = h.slabOf(cls, p);
        s.markAllocatedAt(p);
        h.stats.allocatedBlock(cls);
        return p;
    }

    /** Above {@code small.max}: the mid path up to 32 KiB, a direct mapping beyond. */
    private long allocateLarge(ThreadHeap h, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        return SizeClasses.isSmall(size) ? mid.allocate(size, h.stats) : direct.allocate(size, h.stats, h.directFront);
    }

    // ---------------------------------------------------------------- free

    /** Free. A change of heap (another thread, a fresh allocator's first call) leaves out of line: see {@link PerThread}. */
    @Override
    public void free(long address) {
        ThreadHeap h = OwnedHeap.cachedFor(cachedHeap0, cachedHeap1, Thread.currentThread());
        if (h == null) {
            freeAfterHeapChange(address);
            return;
        }
        freeInside(h, address);
    }

    private void freeAfterHeapChange(long address) {
        freeInside(heap(), address);
    }

    /** {@link #free} as one operation of {@code h}. */
    private void freeInside(ThreadHeap h, long address) {
        int s = h.enter();
        try {
            if (!life.usableNow()) {
                throw life.unusable();
            }
            free(h, address);
            h.exit(s);
        } catch (Throwable t) {
            if (s != 0) {
                h.ops = (h.ops | 1) + 1;
            }
            life.failed(t);
            throw t;
        }
    }

    private void free(ThreadHeap h, long address) {
        Slab own = registry ? h.ownSlab(address) : null;
        if (own != null) {
            freeOwned(h, own, address);
            return;
        }
        Region r = validator.find(address, h.stats, h.mincore);
        if (r instanceof SuperSlab ss) {
            freeSmall(h, ss, address);
        } else if (r instanceof DirectRegion d) {
            direct.free(d, address, h.stats, h.directFront);
        } else {
            mid.free(address, h.stats, h.midCache); // FOREIGN unless a mid block
        }
    }

    private void freeSmall(ThreadHeap h, SuperSlab ss, long address) {
        Slab s = ss.slab();
        if (s != null && s.owner == h) {
            freeOwned(h, s, address);
            return;
        }
        remote.free(h, ss, s, blockIndex(s, address, h.stats), address);
    }

    /** Free of an address in a slab the calling thread's heap owns. */
    private void freeOwned(ThreadHeap h, Slab s, long address) {
        int i = blockIndex(s, address, h.stats);
        if (!s.claimFree(i)) {
            throw InvalidFreeException.doubleFree(address, h.stats);
        }
        h.stats.freedBlock(s.sizeClass());
        if (useFront) {
            h.front.push(s.sizeClass(), address, h, h.stats);
        } else {
            s.giveBack(address);
            h.afterLocalFree(s);
        }
    }

    /** The index of the block starting at {@code address} in {@code s}, or an INTERIOR rejection. */
    static int blockIndex(Slab s, long address, ThreadStats st) {
        int i = s == null ? -1 : s.blockAt(address);
        if (i < 0) {
            throw SuperSlab.interior(s, address, st);
        }
        return i;
    }

    // ---------------------------------------------------------------- usableSize, reallocate

    @Override
    public long usableSize(long address) {
        ThreadHeap h = heap();
        return life.operation(h, slow, SuperSlabSlowOperations.USABLE_SIZE, address, 0);
    }

    /** A view of a live block that fails cleanly, rather than crashing, once its memory is unmapped (see {@link Region#view}). */
    @Override
    public MemorySegment segment(long address) {
        long length = usableSize(address);
        return mid.mapHolding(regions, address).view(address, length);
    }

    /** Ties {@code scope} to the block's mapping: closed before it is unmapped (see {@link Region#bind}). */
    @Override
    public void bindScope(long address, java.lang.foreign.Arena scope) {
        usableSize(address); // a live block of this allocator, or the exception that says why not
        mid.mapHolding(regions, address).bind(address, scope);
    }

    @Override
    public long reallocate(long address, long newSize) {
        ThreadHeap h = heap();
        return life.operation(h, slow, SuperSlabSlowOperations.REALLOCATE, address, newSize);
    }

    // ---------------------------------------------------------------- trim

    /**
     * Reclaims the heaps of every thread that has ended into the calling thread's heap, then trims that
     * heap (see the class comment). Live blocks, wherever they are, stay intact and can be freed by any
     * thread afterwards.
     */
    @Override
    public void trim() {
        ThreadHeap h = heap();
        life.operation(h, slow, SuperSlabSlowOperations.TRIM, 0, 0);
    }

    // ---------------------------------------------------------------- stats, close

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
        return stats.snapshot();
    }

    /** The SuperSlab whose mapping contains {@code address}, or null (tests and diagnostics). */
    SuperSlab superSlabOf(long address) {
        return regions.lookup(address) instanceof SuperSlab ss ? ss : null;
    }

    /** SuperSlabs in the LRU now (tests and reports). */
    int lruLength() {
        return pool.lruLength();
    }

    /** The LRU's room now (tests). */
    int lruCapacity() {
        return pool.lruCapacity();
    }

    /** Freed direct mappings in the shared cache now (tests). */
    int directCachedCount() {
        return direct.cachedCount();
    }

    /** The heaps registered and not reclaimed, and how many were reclaimed so far (tests). */
    ThreadHeapRegistry<ThreadHeap> heapRegistry() {
        return heapRegistry;
    }

    /** The calling thread's front cache (tests). */
    FrontCache frontCacheOfCallingThread() {
        return heap().front;
    }

    /** SuperSlabs the calling thread's heap owns now (tests). */
    int ownedByCallingThread() {
        return heap().ownedSuperSlabs();
    }

    long superSlabSize() {
        return settings.ssSize();
    }

    ValidationMode validationMode() {
        return validator.mode();
    }

    /** Counter rows the stats keep now (for tests: ended threads' rows are folded when their heaps are reclaimed). */
    int statsRows() {
        return stats.rows();
    }

    /**
     * Unmaps everything. Idempotent. Every call that starts after it fails with
     * {@link dev.slabworks.api.AllocatorUnusableException}; calls already running on other threads finish
     * first (it waits for them: see {@link Lifecycle}), so a racing caller sees its call either complete or
     * fail that way, never touch memory that is gone. {@link #stats()} keeps working after close. If the
     * kernel refuses to unmap something even on a last retry, everything else is unmapped first, the close
     * report says so, and close throws {@link dev.slabworks.api.os.OsException} (see {@link Os}).
     */
    @Override
    public void close() {
        if (!life.beginClose()) {
            return;
        }
        life.quiesce(heapRegistry.snapshot(), null);
        int prewarmedNeverTaken = pool.prewarmedNeverTaken();
        int lruRoomReached = pool.lruRoomReached();
        pool.closeAll();
        direct.closeAll();
        mid.closeAll();
        os.retryUnreleased();
        CloseReport report = new CloseReport(System.err, SuperSlabFactory.NAME, stats.snapshot());
        settings.report(report, prewarmedNeverTaken, lruRoomReached);
        report.kernelFailures(os.lastFailure());
        os.requireAllReleased();
    }
}
