package dev.slabworks.sharedpool;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.api.PerThread;
import dev.slabworks.api.Region;
import dev.slabworks.api.direct.DirectMappings;
import dev.slabworks.api.direct.DirectRegion;
import dev.slabworks.api.front.FrontCache;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.PointerValidator;
import dev.slabworks.api.validate.RegionMap;
import dev.slabworks.api.validate.ValidationMode;

import java.util.List;

/**
 * The Phase 12 shared SuperSlab pool (DESIGN.md section 1, Box 1): SuperSlabs belong to no size
 * class; each is cut into {@code SLAB_SIZE} slabs handed to whichever class needs one and taken back
 * when they empty (see {@link SlabPool} for the fullest-first placement, the LRU and purging,
 * {@link SharedSuperSlab} for the layout, {@link ThreadHeap} for a thread's slabs).
 *
 * <p>Paths:
 * <ul>
 *   <li>allocate (small): {@link PerThread} heap, class by table, front-cache pop, and the block
 *       marked ALLOCATED in its slab found by a range check against the thread's last SuperSlab and
 *       a shift; no lock, no division, no allocation. A miss refills from the thread's current
 *       slab; only a slab change reaches the pool's lock.</li>
 *   <li>free: the {@link PointerValidator} (REGISTRY by default, or MINCORE / MINCORE_CACHED) finds
 *       the region from Java-side data only; the slab by shift; the block index by
 *       {@link SizeClasses#blockIndex}; its state decides INTERIOR / DOUBLE_FREE before anything is
 *       written. The owner pushes it onto its front cache; another thread claims it with one CAS and
 *       pushes it onto the slab's remote stack.</li>
 *   <li>above 32 KiB: {@link DirectMappings}.</li>
 * </ul>
 * Slabs are {@code SLAB_SIZE} for every class, so large classes get few blocks per slab (a 32 KiB
 * class holds 2 in a 64 KiB slab); the default keeps that simple and the waste bounded by one slab
 * per class per thread. {@code TINY_FRONT_DIRECT=false} bypasses the front cache (blocks go
 * straight to and from the slabs), as does {@code FC_CAP=0}.
 */
public final class SharedPoolAllocator implements Allocator {
    private final Knobs knobs;
    private final Os os = new Os();
    private final Stats stats = new Stats(os);
    private final RegionMap<Region> regions;
    private final PointerValidator<Region> validator;
    private final DirectMappings direct;
    private final SlabPool pool;
    private final PerThread<ThreadHeap> heaps;
    private final ThreadStats poolStats = stats.registerThread();
    private final long superSlabSize;
    private final int prewarmed;

    public SharedPoolAllocator(Knobs knobs) {
        this.knobs = knobs;
        this.superSlabSize = knobs.longValue(Knob.SS_SIZE);
        long slabSize = knobs.longValue(Knob.SLAB_SIZE);
        if (slabSize > superSlabSize || slabSize < SizeClasses.MAX_SIZE || slabSize > SizeClasses.MAX_DIVIDEND) {
            throw new IllegalArgumentException("slab.size " + slabSize + " must lie in [" + SizeClasses.MAX_SIZE
                    + ", min(ss.size " + superSlabSize + ", " + SizeClasses.MAX_DIVIDEND + ")]");
        }
        this.regions = new RegionMap<>(Math.min(slabSize, 64 << 10));
        this.validator = new PointerValidator<>(ValidationMode.from(knobs, ValidationMode.REGISTRY), regions, os, knobs);
        this.direct = new DirectMappings(os, regions);
        this.pool = new SlabPool(os, stats, regions, superSlabSize, slabSize, knobs.intValue(Knob.SS_LRU_SIZE),
                knobs.longValue(Knob.PURGE_DELAY_MS), knobs.choice(Knob.PURGE_ADVICE, Advice.class));
        boolean debug = knobs.flag(Knob.DEBUG_CHECKS);
        boolean frontDirect = knobs.flag(Knob.TINY_FRONT_DIRECT);
        this.heaps = new PerThread<>(() -> {
            FrontCache front = new FrontCache(knobs);
            return new ThreadHeap(pool, regions, superSlabSize, stats.registerThread(), validator.newThreadCache(),
                    front, front.enabled() && frontDirect, debug);
        });
        this.prewarmed = pool.prewarm(knobs.intValue(Knob.SS_PREWARM), poolStats);
    }

    @Override
    public String name() {
        return SharedPoolFactory.NAME;
    }

    @Override
    public long allocate(long size) {
        if (SizeClasses.isSmall(size)) {
            return heaps.get().allocate(SizeClasses.classOf(size));
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        return direct.allocate(size, heaps.get().stats);
    }

    @Override
    public void free(long address) {
        ThreadHeap h = heaps.get();
        Region r = validator.find(address, h.stats, h.mincore);
        if (r instanceof SharedSuperSlab ss) {
            Slab slab = slabOf(ss, address, h);
            int index = blockOf(slab, address, h);
            if (slab.owner == h) {
                if (!slab.isAllocated(index)) {
                    throw InvalidFreeException.rejected(Kind.DOUBLE_FREE, address, h.stats, "block is not allocated");
                }
                h.freeOwn(slab, index, address);
            } else {
                freeRemote(slab, index, address, h);
            }
        } else if (r == null) {
            throw InvalidFreeException.rejected(Kind.FOREIGN, address, h.stats, "not mapped by this allocator");
        } else {
            direct.free((DirectRegion) r, address, h.stats);
        }
    }

    private static void freeRemote(Slab slab, int index, long address, ThreadHeap h) {
        if (!slab.freeRemote(index, address)) {
            throw InvalidFreeException.rejected(Kind.DOUBLE_FREE, address, h.stats, "block is not allocated");
        }
        h.stats.increment(Stat.REMOTE_FREES);
        h.stats.freed(slab.blockSize());
        if (slab.owner instanceof ThreadHeap owner) {
            owner.remotePending = true;
        }
    }

    private static Slab slabOf(SharedSuperSlab ss, long address, ThreadHeap h) {
        Slab slab = ss.slabs[(int) ((address - ss.start) >>> ss.slabShift)];
        if (slab == null) {
            throw InvalidFreeException.rejected(Kind.INTERIOR, address, h.stats, "in a slab never used");
        }
        return slab;
    }

    private static int blockOf(Slab slab, long address, ThreadHeap h) {
        int index = slab.indexOf(address);
        if (index < 0) {
            throw InvalidFreeException.rejected(Kind.INTERIOR, address, h.stats, "not the start of a block of " + slab);
        }
        return index;
    }

    @Override
    public long usableSize(long address) {
        ThreadHeap h = heaps.get();
        Region r = validator.find(address, h.stats, h.mincore);
        if (r instanceof SharedSuperSlab ss) {
            Slab slab = slabOf(ss, address, h);
            int index = blockOf(slab, address, h);
            if (slab.state(index) != Slab.ALLOCATED) {
                throw InvalidFreeException.rejected(Kind.DOUBLE_FREE, address, h.stats, "block is not allocated");
            }
            return slab.blockSize();
        }
        if (r == null) {
            throw InvalidFreeException.rejected(Kind.FOREIGN, address, h.stats, "not mapped by this allocator");
        }
        return direct.usableSize((DirectRegion) r, address, h.stats);
    }

    @Override
    public long reallocate(long address, long newSize) {
        if (address == 0) {
            return allocate(newSize);
        }
        long old = usableSize(address);
        if (newSize < 0) {
            throw new IllegalArgumentException("negative size: " + newSize);
        }
        heaps.get().stats.increment(Stat.REALLOCATIONS);
        if (newSize <= old && SizeClasses.isSmall(old) && SizeClasses.classOf(newSize) == SizeClasses.classOf(old)) {
            return address;
        }
        long fresh = allocate(newSize);
        Memory.copy(address, fresh, Math.min(old, newSize));
        free(address);
        return fresh;
    }

    /**
     * Gives back what the calling thread holds without need (its front cache, its empty current
     * slabs, remote frees waiting for it) and runs every purge that is due. Other threads' caches
     * are theirs: they give back on their own slow paths.
     */
    @Override
    public void trim() {
        heaps.get().trim();
    }

    @Override
    public Knobs knobs() {
        return knobs;
    }

    @Override
    public StatsSnapshot stats() {
        return stats.snapshot();
    }

    // ---- views for tests and measurements (package-private) ----

    SlabPool pool() {
        return pool;
    }

    ThreadHeap heap() {
        return heaps.get();
    }

    List<SharedSuperSlab> superSlabs() {
        return pool.mappedSuperSlabs();
    }

    @Override
    public void close() {
        if (knobs.flag(Knob.FRONT_STATS) || knobs.flag(Knob.SS_LRU_DEBUG) || knobs.flag(Knob.SS_PREWARM_DEBUG)) {
            report(stats.snapshot());
        }
        pool.closeAll();
        direct.closeAll();
    }

    private void report(StatsSnapshot s) {
        if (knobs.flag(Knob.FRONT_STATS)) {
            long hits = s.get(Stat.FRONT_HITS);
            long misses = s.get(Stat.FRONT_MISSES);
            System.err.printf("[shared-pool] front: hits %d misses %d (hit rate %.2f%%) refills %d flushes %d%n",
                    hits, misses, hits + misses == 0 ? 0.0 : 100.0 * hits / (hits + misses),
                    s.get(Stat.FRONT_REFILLS), s.get(Stat.FRONT_FLUSHES));
        }
        if (knobs.flag(Knob.SS_LRU_DEBUG)) {
            System.err.printf("[shared-pool] lru: hits %d misses %d evictions %d cached %d%n",
                    s.get(Stat.LRU_HITS), s.get(Stat.LRU_MISSES), s.get(Stat.LRU_EVICTIONS), pool.lruSize());
        }
        if (knobs.flag(Knob.SS_PREWARM_DEBUG)) {
            System.err.printf("[shared-pool] prewarm: %d SuperSlabs of %d bytes; LRU hits %d%n",
                    prewarmed, superSlabSize, s.get(Stat.LRU_HITS));
        }
    }
}
