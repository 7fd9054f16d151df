package dev.slabworks.segfit;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorUnusableException;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.MemoryUse;
import dev.slabworks.api.Reallocation;
import dev.slabworks.api.Region;
import dev.slabworks.api.direct.DirectMappings;
import dev.slabworks.api.direct.DirectRegion;
import dev.slabworks.api.heap.Lifecycle;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.SyscallCause;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.stats.CloseReport;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.MincoreCache;
import dev.slabworks.api.validate.PointerValidator;
import dev.slabworks.api.validate.RegionMap;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * A plain segregated-fit allocator: the template strategy that docs/writing-a-strategy.md walks through.
 *
 * <pre>
 *   chunk: one mapping of segfit.chunk.size bytes, aligned to its size, whose blocks all have one size class
 *   | block 0 | block 1 | ... | block n-1 | tail |      n = chunk size / block size, carved lazily
 *   a free block holds the address of the next free block of its chunk in its first 8 bytes ({@link Slab})
 * </pre>
 *
 * <p>Per size class ({@link SizeClasses}, 16 bytes to 32 KiB): a <em>current</em> chunk, which allocation pops
 * (its free list, then its uncarved blocks), and a queue of other chunks that have free blocks, which takes over
 * when the current one runs dry. Only then is an empty chunk taken from the pool, or a new one mapped. Sizes above
 * 32 KiB are mappings of their own ({@link DirectMappings}).
 *
 * <p>Free: the chunk through the {@link RegionMap} (in the {@code validation} mode the knobs ask for: this
 * look-up is the validation), the block index by arithmetic on the chunk, the block's state in the slab's Java
 * array. So a foreign, interior or double free is told apart without reading the address. A chunk other than the
 * current one that empties goes to the pool of empty chunks ({@code segfit.empty.chunks}, reused by any class),
 * or is unmapped when the pool is full; {@link #trim} unmaps the pool and empty current chunks.
 *
 * <p>Threads: every operation holds one lock. That makes the SPI's guarantees plain: two frees of one block
 * racing from two threads are serialized, and the second finds it free ({@code DOUBLE_FREE}); {@link #close}
 * takes the lock, so calls already running finish before anything is unmapped and every later call finds the
 * allocator closed. The price: a lock taken and released (two compare-and-swaps when no other thread holds it) on
 * every allocate and free, and threads that allocate at once take turns. The other strategies keep the
 * single-thread path free of locks and atomics with per-thread heaps and the lifecycle handshake (docs/DESIGN.md
 * §10); that is the step to take from here.
 *
 * <p>Failure: an operation that throws anything but a rejection ({@link InvalidFreeException}, a negative or
 * unbackable size, {@link AllocatorUnusableException}), such as a {@link StackOverflowError} or a Java-heap
 * {@link OutOfMemoryError} halfway through a list update, marks the allocator unusable ({@link Lifecycle#failed});
 * every later call says so, and {@link #close} still unmaps everything.
 */
public final class SegregatedFitAllocator implements Allocator {
    /** RegionMap granule: the smallest chunk; direct mappings are rounded to it. */
    static final long GRANULE = 64 << 10;

    private static final int ALLOCATE = 0;
    private static final int FREE = 1;
    private static final int USABLE_SIZE = 2;
    private static final int REALLOCATE = 3;
    private static final int TRIM = 4;

    private final Knobs knobs;
    private final SegregatedFitSettings settings;
    private final Os os;
    private final Stats stats;
    private final RegionMap<Region> regions = new RegionMap<>(GRANULE);
    private final PointerValidator<Region> validator;
    private final DirectMappings direct;
    private final Lifecycle life;

    /** Guards every field below, and every chunk. */
    private final Object lock = new Object();
    /** The allocator's one stats row: each thread's counts go here, under the lock (so one row is enough). */
    private final ThreadStats counters;
    private final MincoreCache mincore;
    private final Chunk[] current = new Chunk[SizeClasses.COUNT];
    private final ArrayDeque<Chunk>[] partial;
    private final ArrayDeque<Chunk> empty;
    /** Every chunk mapped now, linked through {@link Chunk#nextMapped}: what close unmaps. */
    private Chunk mapped;

    public SegregatedFitAllocator(Knobs knobs) {
        this(knobs, new Os());
    }

    /** Every kernel call through {@code os}, which is this allocator's from now on (tests pass one that fails). */
    @SuppressWarnings("unchecked")
    public SegregatedFitAllocator(Knobs knobs, Os os) {
        // classes with static state, initialized now rather than on a first call that may come from deep in a recursion
        Lifecycle.initialize(Chunk.class, Slab.class, SizeClasses.class, DirectRegion.class, Memory.class,
                Reallocation.class, InvalidFreeException.Kind.class, AllocatorUnusableException.class);
        this.knobs = knobs;
        this.os = os;
        this.stats = new Stats(os);
        this.life = new Lifecycle(SegregatedFitFactory.NAME, os);
        this.settings = SegregatedFitSettings.from(knobs);
        this.validator = new PointerValidator<>(settings.validation(), regions, os, settings.mincoreCacheEntries());
        // one lock and no per-thread heaps: no direct fronts
        this.direct = new DirectMappings(os, regions, settings.directCacheCount(), settings.directCacheBytes(), 0);
        this.counters = stats.registerThread();
        this.mincore = validator.newThreadCache(settings.chunkSize());
        this.partial = (ArrayDeque<Chunk>[]) new ArrayDeque<?>[SizeClasses.COUNT];
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            partial[c] = new ArrayDeque<>();
        }
        this.empty = new ArrayDeque<>(Math.min(settings.emptyChunks(), 64));
    }

    @Override
    public String name() {
        return SegregatedFitFactory.NAME;
    }

    @Override
    public long allocate(long size) {
        return locked(ALLOCATE, size, 0);
    }

    @Override
    public void free(long address) {
        locked(FREE, address, 0);
    }

    @Override
    public long usableSize(long address) {
        return locked(USABLE_SIZE, address, 0);
    }

    @Override
    public long reallocate(long address, long newSize) {
        return locked(REALLOCATE, address, newSize);
    }

    /** Unmaps the pool of empty chunks, every current chunk that is empty, and the cached direct mappings. */
    @Override
    public void trim() {
        locked(TRIM, 0, 0);
    }

    /** A view of a live block that fails cleanly, rather than crashing, once its memory is unmapped ({@link Region#view}). */
    @Override
    public MemorySegment segment(long address) {
        synchronized (lock) { // no free and unmap between the size and the view
            return regions.view(address, usableSize(address));
        }
    }

    /** Ties {@code scope} to the block's mapping: closed before it is unmapped (see {@link Region#bind}). */
    @Override
    public void bindScope(long address, java.lang.foreign.Arena scope) {
        synchronized (lock) { // no free and unmap between the check and the binding
            usableSize(address);
            regions.bind(address, scope);
        }
    }

    /**
     * Every operation's frame: the lock, the check that the allocator is usable, and the handler that marks it
     * broken when something unexpected was thrown midway. One frame for all, so no operation can miss a step.
     */
    private long locked(int op, long a, long b) {
        synchronized (lock) {
            try {
                if (!life.usableNow()) {
                    throw life.unusable();
                }
                return switch (op) {
                    case ALLOCATE -> SizeClasses.isSmall(a) ? allocateSmall(SizeClasses.classOf(a)) : allocateLarge(a);
                    case FREE -> free(a, validator.find(a, counters, mincore));
                    case USABLE_SIZE -> usableSize(a, validator.find(a, counters, mincore));
                    case REALLOCATE -> Reallocation.reallocate(this, a, b, counters, settings.reallocGrowth()); // calls back in: the lock is reentrant
                    case TRIM -> trimLocked();
                    default -> throw new IllegalStateException("no operation " + op);
                };
            } catch (Throwable t) {
                life.failed(t);
                throw t;
            }
        }
    }

    // ---------------------------------------------------------------- allocate

    private long allocateSmall(int cls) {
        Chunk c = current[cls];
        long p = c == null ? 0 : c.slab.allocate();
        if (p == 0) {
            p = refill(cls).slab.allocate();
        }
        counters.allocatedBlock(cls);
        return p;
    }

    private long allocateLarge(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        return direct.allocate(size, counters);
    }

    /** The current chunk of {@code cls} is dry: the next queued chunk of the class, else an empty or new one. */
    private Chunk refill(int cls) {
        Chunk c = partial[cls].poll();
        if (c != null) {
            c.queued = false;
        } else {
            c = emptyChunk(cls);
        }
        current[cls] = c; // the old current one is full: the next free into it queues it
        counters.sampleLive();
        if (settings.debugChecks()) {
            c.slab.checkInvariants();
        }
        return c;
    }

    /** A chunk of {@code cls} with every block free: from the pool, else a new mapping. */
    private Chunk emptyChunk(int cls) {
        Chunk c = empty.poll();
        if (c != null) {
            c.format(cls);
            counters.increment(Stat.LRU_HITS);
            return c;
        }
        long size = settings.chunkSize();
        Mapping m = os.mapAligned(size, size, SyscallCause.SUPERSLAB_MAP);
        try {
            c = new Chunk(m, cls);
            regions.register(c);
        } catch (Throwable t) { // e.g. no Java heap left for the descriptor: the mapping must not leak
            os.unmap(m, SyscallCause.SUPERSLAB_MAP);
            throw t;
        }
        c.nextMapped = mapped; // plain stores, nothing that can throw: once registered, close will find it
        if (mapped != null) {
            mapped.previousMapped = c;
        }
        mapped = c;
        counters.increment(Stat.LRU_MISSES);
        return c;
    }

    // ---------------------------------------------------------------- free, usableSize

    private long free(long address, Region r) {
        if (r instanceof Chunk c) {
            Slab s = c.slab;
            if (!s.freeLocal(blockIndex(c, address), address)) {
                throw InvalidFreeException.doubleFree(address, counters);
            }
            int cls = s.sizeClass();
            counters.freedBlock(cls);
            if (c != current[cls]) {
                if (s.isEmpty()) {
                    release(c);
                } else if (!c.queued) {
                    partial[cls].add(c);
                    c.queued = true;
                }
            }
        } else if (r instanceof DirectRegion d) {
            direct.free(d, address, counters);
        } else {
            throw InvalidFreeException.foreign(address, counters);
        }
        return 0;
    }

    private long usableSize(long address, Region r) {
        if (r instanceof Chunk c) {
            if (!c.slab.isAllocated(blockIndex(c, address))) {
                throw InvalidFreeException.doubleFree(address, counters);
            }
            return c.slab.blockSize();
        } else if (r instanceof DirectRegion d) {
            return direct.usableSize(d, address, counters);
        }
        throw InvalidFreeException.foreign(address, counters);
    }

    /** The index of the block starting at {@code address} in {@code c}, or an INTERIOR rejection. */
    private int blockIndex(Chunk c, long address) {
        int i = c.slab.blockAt(address);
        if (i < 0) {
            throw InvalidFreeException.interior(address, counters, "not the start of a " + c.slab.blockSize()
                    + "-byte block of the chunk at 0x" + Long.toHexString(c.base()));
        }
        return i;
    }

    /** A chunk that is not current has emptied: into the pool, or unmapped when the pool is full. */
    private void release(Chunk c) {
        if (c.queued) {
            partial[c.sizeClass()].remove(c); // linear in the queue; a slow path, and queues are short
            c.queued = false;
        }
        if (settings.debugChecks()) {
            c.slab.checkInvariants();
        }
        if (empty.size() < settings.emptyChunks()) {
            empty.push(c); // keeps its slab, all blocks free: a late free of one of its blocks is a DOUBLE_FREE
            return;
        }
        unmap(c, SyscallCause.LRU_EVICTION);
        counters.increment(Stat.LRU_EVICTIONS);
    }

    private long trimLocked() {
        Chunk c;
        while ((c = empty.poll()) != null) {
            unmap(c, SyscallCause.LRU_EVICTION);
        }
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            c = current[cls];
            if (c != null && c.slab.isEmpty()) {
                current[cls] = null;
                unmap(c, SyscallCause.LRU_EVICTION);
            }
        }
        return direct.trim();
    }

    /** Unregistered first, so that no look-up finds it once its memory is gone, and its views closed. */
    private void unmap(Chunk c, SyscallCause cause) {
        regions.unregister(c);
        c.invalidateViews();
        if (c.previousMapped != null) {
            c.previousMapped.nextMapped = c.nextMapped;
        } else {
            mapped = c.nextMapped;
        }
        if (c.nextMapped != null) {
            c.nextMapped.previousMapped = c.previousMapped;
        }
        os.unmap(c.mapping(), cause);
    }

    // ---------------------------------------------------------------- stats, close

    @Override
    public Knobs knobs() {
        return knobs;
    }

    @Override
    public StatsSnapshot stats() {
        return stats.snapshot();
    }

    @Override
    public MemoryUse memoryUse() {
        return MemoryUse.of(os);
    }

    /**
     * Unmaps everything. Idempotent; it takes the lock, so calls in flight on other threads finish first, and
     * every call that starts after it throws {@link AllocatorUnusableException}. {@link #stats} keeps working.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (!life.beginClose()) {
                return;
            }
            for (Chunk c = mapped; c != null; c = c.nextMapped) {
                regions.unregister(c);
                c.invalidateViews();
                os.unmap(c.mapping(), SyscallCause.CLOSE);
            }
            mapped = null;
            direct.closeAll();
        }
        // a munmap the kernel refused is kept and retried once more; what is still mapped is reported, then thrown
        os.retryUnreleased();
        new CloseReport(System.err, SegregatedFitFactory.NAME, stats.snapshot()).kernelFailures(os.lastFailure());
        os.requireAllReleased();
    }
}
