package dev.slabworks.sharedpool;

import dev.slabworks.api.AllocatorUnusableException;
import dev.slabworks.api.Reallocation;
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
import dev.slabworks.api.heap.SlowOperations;
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

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The Phase 12 shared SuperSlab pool (docs/DESIGN.md §1 Box 1, §12): SuperSlabs belong to no size
 * class; each is cut into {@code SLAB_SIZE} slabs handed to whichever class needs one and taken back
 * when they empty (see {@link SlabPool} for the fullest-first placement, the LRU and purging,
 * {@link SharedSuperSlab} for the layout, {@link ThreadHeap} for a thread's slabs).
 *
 * <p>Paths:
 * <ul>
 *   <li>allocate (small): the heap (two-entry heap cache, else {@link PerThread}), class by table,
 *       front-cache pop, and the block marked ALLOCATED in its slab, found in the heap's table of own slabs
 *       ({@link ThreadHeap#ownSlab}; else its table of known SuperSlabs, then the RegionMap, as for a held block
 *       of another heap's); no lock, no division, no allocation. A miss refills from the thread's current slab;
 *       only a slab change reaches the pool's lock.</li>
 *   <li>free: the {@link PointerValidator} (REGISTRY by default, or MINCORE / MINCORE_CACHED) finds
 *       the region from Java-side data only; the slab by shift; the block index by
 *       {@link SizeClasses#blockIndex}; its state decides INTERIOR / DOUBLE_FREE before anything is
 *       written. The owner pushes it onto its front cache; another thread claims it with one CAS and
 *       holds it in its own front cache while the class holds fewer than {@code fc.remote} blocks there
 *       ({@link ThreadHeap#freeHeld}), else pushes it onto the slab's remote stack. In REGISTRY mode a free first looks in
 *       the table of slabs the caller's heap owns ({@link ThreadHeap#ownSlab}), which is exact for them, so
 *       the RegionMap look-up is skipped
 *       (the MINCORE modes always ask the validator: their cost is what they measure).</li>
 *   <li>above 32 KiB: {@link DirectMappings}.</li>
 * </ul>
 * Slabs are {@code SLAB_SIZE} for every class, so large classes get few blocks per slab (a 32 KiB
 * class holds 2 in a 64 KiB slab); the default keeps that simple and the waste bounded by one slab
 * per class per thread. {@code TINY_FRONT_DIRECT=false} bypasses the front cache (blocks go
 * straight to and from the slabs), as does {@code FC_CAP=0}.
 *
 * <p>Threads that end: every heap is registered in a {@link ThreadHeapRegistry}; the heaps of ended
 * threads are reclaimed by a live thread (their empty slabs go back to the pool, the others are adopted;
 * see {@link ThreadHeap} for why that is safe for concurrent remote frees) on {@link #trim()} and on the
 * slow path where a heap is about to take a slab from the pool, when a heap was registered since the
 * last scan or every {@value ThreadHeapRegistry#SCAN_EVERY}-th such take. So thread churn does not grow
 * the mapped memory even if nobody calls {@code trim()}.
 */
public final class SharedPoolAllocator implements Allocator {
    private final Knobs knobs;
    private final SharedPoolSettings settings;
    private final Os os;
    private final Stats stats;
    private final RegionMap<Region> regions;
    private final PointerValidator<Region> validator;
    private final DirectMappings direct;
    private final MidPath mid;
    /** {@code small.max}: larger requests leave the size classes (a final field, read once per allocate). */
    private final long smallMax;
    private final SlabPool pool;
    private final PerThread<ThreadHeap> heaps;
    /**
     * A two-entry cache of the heaps of recent callers, tried before {@link #heaps}: a load and a compare of a
     * heap's final {@code thread} field each; see {@link #heap}. Published racily, which is safe: a thread uses an
     * entry only if it is its own heap, which it created itself.
     */
    private ThreadHeap cachedHeap0;
    private ThreadHeap cachedHeap1;
    private final ThreadHeapRegistry<ThreadHeap> heapRegistry;
    /** Front caches of reclaimed heaps, kept for new ones. */
    private final FrontCacheSpares frontSpares = new FrontCacheSpares();
    private final Operations slow = new Operations();
    private final Lifecycle life;
    private final ThreadStats poolStats;
    /** REGISTRY validation: free may skip the RegionMap for a block of the caller's own slab (see {@link #free}). */
    private final boolean registryMode;

    /** Over the C library's kernel (tests and tools; the factory passes the {@link Os} it is given). */
    public SharedPoolAllocator(Knobs knobs) {
        this(knobs, new Os());
    }

    /** Every kernel call through {@code os}, which is this allocator's from now on. */
    public SharedPoolAllocator(Knobs knobs, Os os) {
        Lifecycle.initialize(ThreadHeap.class, SharedSuperSlab.class, AllocatorUnusableException.class, InvalidFreeException.Kind.class, Memory.class, DirectRegion.class, Slab.class, MidPath.class); // see Lifecycle.initialize
        this.knobs = knobs;
        this.os = os;
        this.stats = new Stats(os);
        this.life = new Lifecycle(SharedPoolFactory.NAME, os);
        this.poolStats = stats.registerThread();
        SharedPoolSettings s = SharedPoolSettings.from(knobs);
        this.settings = s;
        this.regions = new RegionMap<>(Math.min(s.slabSize(), 64 << 10));
        this.validator = new PointerValidator<>(s.validation(), regions, os, s.mincoreCacheEntries());
        this.registryMode = validator.mode() == ValidationMode.REGISTRY;
        this.direct = new DirectMappings(os, regions, s.directCacheCount(), s.directCacheBytes(),
                s.directFrontBytes());
        this.mid = new MidPath(os, s.mid());
        this.smallMax = s.mid().smallMax();
        this.pool = new SlabPool(os, stats, regions, s.superSlabSize(), s.slabSize(), s.startShared(), s.lruSize(),
                s.purgeDelayMs(), s.purgeDelayMaxMs(), s.purgeAdvice());
        this.heaps = new PerThread<>(this::newHeap);
        this.heapRegistry = new ThreadHeapRegistry<>(h -> h.thread, heaps);
        try {
            pool.prewarm(s.prewarm(), poolStats);
        } catch (RuntimeException | Error e) { // a refused mmap: made nothing, left nothing mapped
            pool.closeAll();
            throw e;
        }
    }

    private ThreadHeap newHeap() {
        SharedPoolSettings s = settings;
        FrontCache front = frontSpares.take();
        if (front == null) {
            front = new FrontCache(s.frontCapacity(), s.frontRefill());
        }
        boolean frontOn = front.enabled() && s.frontDirect();
        ThreadHeap h = new ThreadHeap(pool, regions, heapRegistry, frontSpares, s.superSlabSize(), stats.registerThread(),
                validator.newThreadCache(), mid.newThreadCache(), direct.newFront(), front, frontOn,
                frontOn ? Math.min(s.frontRemote(), s.frontCapacity()) : 0,
                s.debugChecks());
        heapRegistry.register(h);
        return h;
    }

    /** The calling thread's heap. */
    ThreadHeap heap() {
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
        return SharedPoolFactory.NAME;
    }

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
        if (Long.compareUnsigned(size, smallMax) <= 0) {
            long p = h.allocateHit(SizeClasses.classOf(size));
            if (p != 0) {
                return p;
            }
        }
        return allocateInside(h, size);
    }

    /**
     * {@link #allocate} as one operation of {@code h} (see {@link OwnedHeap} for the frame): everything but a
     * front-cache hit, since a refill reads a slab's free list in mapped memory and a SuperSlab may be mapped.
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

    /** The size classes up to {@code small.max}, the mid path up to 32 KiB, a direct mapping beyond. */
    private long allocate(ThreadHeap h, long size) {
        if (Long.compareUnsigned(size, smallMax) <= 0) {
            return h.allocate(SizeClasses.classOf(size));
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        return SizeClasses.isSmall(size) ? mid.allocate(size, h.stats) : direct.allocate(size, h.stats, h.directFront);
    }

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
        Slab own = registryMode ? h.ownSlab(address) : null;
        if (own != null) {
            freeOwned(own, blockOf(own, address, h), address, h);
            return;
        }
        Region r = validator.find(address, h.stats, h.mincore);
        if (r instanceof SharedSuperSlab ss) {
            Slab slab = slabOf(ss, address, h);
            int index = blockOf(slab, address, h);
            if (slab.owner == h) {
                h.rememberSuperSlab(ss);
                h.rememberSlab(slab);
                freeOwned(slab, index, address, h);
            } else {
                freeRemote(slab, index, address, h);
            }
        } else if (r == null) {
            mid.free(address, h.stats, h.midCache); // FOREIGN unless a mid block
        } else {
            direct.free((DirectRegion) r, address, h.stats, h.directFront);
        }
    }

    private static void freeOwned(Slab slab, int index, long address, ThreadHeap h) {
        if (!slab.claimFree(index)) {
            throw InvalidFreeException.doubleFree(address, h.stats);
        }
        h.freeOwn(slab, address);
    }

    private void freeRemote(Slab slab, int index, long address, ThreadHeap h) {
        slab.beforeRemoteFree(life, h, heapRegistry);
        if (h.holds(slab)) { // into this thread's front cache: back to the slab in a batch when it overflows
            if (!slab.claimFree(index)) { // a CAS on a shared slab
                throw InvalidFreeException.doubleFree(address, h.stats);
            }
            h.stats.increment(Stat.REMOTE_FREES);
            h.stats.increment(Stat.REMOTE_FREES_HELD);
            h.freeHeld(slab, address);
            return;
        }
        if (!slab.freeRemote(index, address)) {
            throw InvalidFreeException.doubleFree(address, h.stats);
        }
        h.stats.increment(Stat.REMOTE_FREES);
        h.stats.freedBlock(slab.sizeClass());
        if (slab.owner instanceof ThreadHeap owner) {
            owner.signalRemoteFree();
        }
    }

    private static Slab slabOf(SharedSuperSlab ss, long address, ThreadHeap h) {
        Slab slab = ss.slabs[(int) ((address - ss.start) >>> ss.slabShift)];
        if (slab == null) {
            throw InvalidFreeException.interior(address, h.stats, "in a slab never used");
        }
        return slab;
    }

    private static int blockOf(Slab slab, long address, ThreadHeap h) {
        int index = slab.indexOf(address);
        if (index < 0) {
            throw InvalidFreeException.interior(address, h.stats, "not the start of a block of " + slab);
        }
        return index;
    }

    @Override
    public long usableSize(long address) {
        ThreadHeap h = heap();
        return life.operation(h, slow, SlowOperations.USABLE_SIZE, address, 0);
    }

    private long usableSize(ThreadHeap h, long address) {
        Region r = validator.find(address, h.stats, h.mincore);
        if (r instanceof SharedSuperSlab ss) {
            Slab slab = slabOf(ss, address, h);
            int index = blockOf(slab, address, h);
            if (slab.state(index) != Slab.ALLOCATED) {
                throw InvalidFreeException.doubleFree(address, h.stats);
            }
            return slab.blockSize();
        }
        if (r == null) {
            return mid.usableSize(address, h.stats, h.midCache); // FOREIGN unless a mid block
        }
        return direct.usableSize((DirectRegion) r, address, h.stats);
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
        return life.operation(h, slow, SlowOperations.REALLOCATE, address, newSize);
    }

    /**
     * Reclaims the heaps of threads that have ended (see {@link HeapHandOver}), then gives back
     * what the calling thread holds without need (its front cache, its empty current slabs, remote frees
     * waiting for it) and runs every purge that is due. Live threads' caches are theirs: they give back
     * on their own slow paths.
     */
    @Override
    public void trim() {
        ThreadHeap h = heap();
        life.operation(h, slow, SlowOperations.TRIM, 0, 0);
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
        return stats.snapshot();
    }

    // ---- views for tests and measurements (package-private) ----

    SlabPool pool() {
        return pool;
    }


    /** Heaps registered and not reclaimed (their threads may have ended since). */
    int registeredHeaps() {
        return heapRegistry.size();
    }

    /** Heaps of ended threads reclaimed so far. */
    long reclaimedHeaps() {
        return heapRegistry.reclaimed();
    }

    List<SharedSuperSlab> superSlabs() {
        return pool.mappedSuperSlabs();
    }

    /** Freed direct mappings in the shared cache now (tests). */
    int directCachedCount() {
        return direct.cachedCount();
    }

    /** Counter rows the stats keep now (for tests: ended threads' rows are folded when their heaps are reclaimed). */
    int statsRows() {
        return stats.rows();
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
        pool.closeAll();
        direct.closeAll();
        mid.closeAll();
        os.retryUnreleased();
        report(System.err);
        os.requireAllReleased();
    }

    /** What the diagnostic knobs ask to be told at close (see {@link CloseReport}). */
    private void report(PrintStream out) {
        CloseReport report = new CloseReport(out, SharedPoolFactory.NAME, stats.snapshot());
        if (settings.lruDebug()) {
            report.lru(settings.lruSize(), "SuperSlabs", Stat.SUPERSLABS_PEAK);
        }
        if (settings.prewarmDebug()) {
            report.prewarm("SuperSlabs", settings.superSlabSize(), pool.prewarmedNeverTaken());
        }
        if (settings.frontStats()) {
            report.front(settings.frontCapacity(), settings.frontRefill(), settings.frontDirect());
        }
        report.kernelFailures(os.lastFailure());
    }

    /** The operations off the fast paths, for {@link Lifecycle#operation}: made once, so no call site links late. */
    private final class Operations extends SlowOperations<ThreadHeap> {
        @Override
        protected long usableSize(ThreadHeap h, long address) {
            return SharedPoolAllocator.this.usableSize(h, address);
        }

        @Override
        protected long reallocate(ThreadHeap h, long address, long newSize) {
            return Reallocation.reallocate(SharedPoolAllocator.this, address, newSize, h.stats, settings.reallocGrowth());
        }

        @Override
        protected long trim(ThreadHeap h) {
            return SharedPoolAllocator.this.trim(h);
        }
    }

    private long trim(ThreadHeap h) {
        h.reclaimDeadHeaps();
        h.trim();
        return direct.trim(h.directFront) + mid.trim();
    }
}
