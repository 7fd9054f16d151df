package dev.slabworks.api.direct;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.list.IntrusiveList;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.OutOfNativeMemoryError;
import dev.slabworks.api.os.SyscallCause;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.RegionMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Blocks above the largest size class: each is its own granule-aligned mapping, registered in the
 * allocator's {@link RegionMap} like any other region. Shared by every strategy. Thread-safe: a free is
 * claimed with one CAS of the region's live flag, so racing frees of one block see exactly one success
 * and one {@code DOUBLE_FREE}.
 *
 * <p>A freed block's mapping goes to a bounded {@link DirectMappingCache} ({@code direct.cache.count},
 * {@code direct.cache.bytes}) instead of being unmapped, and an allocate that fits a cached mapping takes
 * it back: no syscall, and the same {@link DirectRegion} made live again, so neither path allocates on
 * the Java heap. A cached mapping stays registered, not live: a free of its address is still a
 * {@code DOUBLE_FREE} (an {@code INTERIOR} one inside it). What does not fit the bounds, or is evicted,
 * is unregistered and unmapped at once; {@link #trim} unmaps the whole cache, {@link #closeAll} every
 * mapping.
 *
 * <p>In front of the cache, each thread's heap may keep one freed mapping of up to {@code direct.front.bytes} for its
 * own next large allocation ({@link DirectFront}): plain loads and stores, no atomic but the free's claim on the live
 * flag. Fronts are part of the cache (off with it) and come on top of its bounds, one mapping per thread heap. The
 * strategy that reclaims an ended thread's heap gives its front's mapping to the cache ({@link DirectFront#giveBack}),
 * as does a large allocation that misses the cache, for every ended thread's front; {@link #trim} unmaps the caller's
 * and those of ended threads.
 *
 * <p>Every region whose mapping is mapped now, live or cached, is on one {@link IntrusiveList} (what
 * {@link #closeAll} must unmap), from just after its {@code mmap} to just before its {@code munmap}, exactly once.
 * The list is changed only when a mapping is made or unmapped, which costs a system call anyway, so one lock is
 * cheap there; a reuse from the cache does not touch it.
 */
public final class DirectMappings {
    /** Fronts are pruned of ended threads' empty ones when the list reaches this, then twice what remained. */
    private static final int SWEEP_FIRST = 8;

    private final Os os;
    private final RegionMap<? super DirectRegion> regions;
    /** Every mapped region; guarded by itself. */
    private final IntrusiveList<DirectRegion> mapped = new IntrusiveList<>();
    private final DirectMappingCache cache;
    private final boolean caching;
    /** {@code direct.front.bytes}: the largest mapping a {@link DirectFront} keeps; 0 makes no fronts. */
    private final long frontMax;
    /** Every front made and not forgotten; guarded by itself. */
    private final List<DirectFront> fronts = new ArrayList<>();
    private int sweepAt = SWEEP_FIRST;

    /** No cache: every free unmaps its block at once (the behaviour before the cache existed). */
    public DirectMappings(Os os, RegionMap<? super DirectRegion> regions) {
        this(os, regions, 0, 0, 0);
    }

    /**
     * With a cache of at most {@code cacheCount} freed mappings and {@code cacheBytes} bytes (the knobs
     * {@code direct.cache.count} and {@code direct.cache.bytes}; either 0 disables it and the fronts), and per
     * thread a {@link DirectFront} for a mapping of up to {@code frontBytes} ({@code direct.front.bytes}; 0: none).
     */
    public DirectMappings(Os os, RegionMap<? super DirectRegion> regions, int cacheCount, long cacheBytes,
                          long frontBytes) {
        this.os = os;
        this.regions = regions;
        this.cache = new DirectMappingCache(cacheCount, cacheBytes, this::unmap);
        this.caching = cache.enabled();
        this.frontMax = caching ? frontBytes : 0;
    }

    /**
     * A front for the calling thread's heap, or null when fronts are off. Now and then forgets the fronts of ended
     * threads that hold nothing (given back: {@link DirectFront#giveBack}, {@link #trim}, or a miss of
     * {@link #allocate}), so that thread churn does not grow the list; it touches no mapping, since a new heap is made
     * outside any operation.
     */
    public DirectFront newFront() {
        if (frontMax == 0) {
            return null;
        }
        DirectFront f = new DirectFront(this);
        synchronized (fronts) {
            fronts.add(f);
            if (fronts.size() >= sweepAt) {
                for (int i = fronts.size() - 1; i >= 0; i--) {
                    DirectFront g = fronts.get(i);
                    if (!g.thread.isAlive() && g.held == null) { // held is read only once the thread has ended
                        removeAt(i);
                    }
                }
                sweepAt = Math.max(SWEEP_FIRST, 2 * fronts.size());
            }
        }
        return f;
    }

    /**
     * {@link #allocate(long, ThreadStats, DirectFront)} without a front. Like every allocate here, called from inside
     * an operation of the caller's heap (its frame), which {@code close()} waits for.
     */
    public long allocate(long size, ThreadStats stats) {
        return allocate(size, stats, null);
    }

    /** A block of {@code size} bytes: from the caller's {@code front} (null: none), the cache, or a new mapping. */
    public long allocate(long size, ThreadStats stats, DirectFront front) {
        if (size > Os.MAX_MAPPING) { // before any rounding can overflow, any cache look-up, any call
            throw new OutOfNativeMemoryError("cannot allocate " + size + " bytes: more than this machine's "
                    + Os.MAX_MAPPING + " bytes of physical memory");
        }
        long granule = regions.granule();
        long length = (Math.max(size, 1) + granule - 1) & -granule;
        DirectRegion region = null;
        if (front != null) {
            DirectRegion r = front.held;
            if (r != null && DirectMappingCache.fits(r.size(), length)) {
                front.held = null;
                region = r;
            }
        }
        if (caching) {
            if (region == null) {
                region = cache.take(length);
            }
            if (region == null && front != null && endedFronts(false) > 0) {
                region = cache.take(length); // what ended threads kept, before a new mapping
            }
            stats.increment(region != null ? Stat.DIRECT_CACHE_HITS : Stat.DIRECT_CACHE_MISSES);
        }
        if (region != null) {
            region.markLive();
        } else {
            region = map(length);
        }
        stats.increment(Stat.DIRECT_ALLOCATIONS);
        stats.allocated(region.size());
        return region.base();
    }

    /** {@link #free(DirectRegion, long, ThreadStats, DirectFront)} without a front. */
    public void free(DirectRegion region, long address, ThreadStats stats) {
        free(region, address, stats, null);
    }

    /**
     * Frees the block of {@code region} at {@code address}; the region came from the allocator's registry. The
     * mapping goes to the caller's {@code front} (null: none) if it fits there, the one the front held to the cache.
     */
    public void free(DirectRegion region, long address, ThreadStats stats, DirectFront front) {
        requireBlockStart(region, address, stats);
        if (!region.markFreed()) {
            throw InvalidFreeException.doubleFree(address, stats,
                    "direct block already freed");
        }
        stats.freed(region.size());
        if (front != null && region.mapping().reservedSize() <= frontMax) {
            DirectRegion older = front.held;
            front.held = region;
            if (older == null) {
                return;
            }
            region = older;
        }
        release(region);
    }

    /**
     * See {@link DirectFront#giveBack}. Under the list's lock, as {@link #trim}'s sweep of ended threads' fronts, so
     * that of a reclaimer and a trimming thread exactly one takes the mapping.
     */
    void giveBack(DirectFront front) {
        DirectRegion r;
        synchronized (fronts) {
            r = front.held;
            front.held = null;
        }
        if (r != null) {
            release(r);
        }
    }

    /** A freed region nobody keeps: into the cache, or unmapped. */
    private void release(DirectRegion region) {
        if (!caching || !cache.offer(region)) {
            unmap(region);
        }
    }

    public long usableSize(DirectRegion region, long address, ThreadStats stats) {
        requireBlockStart(region, address, stats);
        if (!region.isLive()) {
            throw InvalidFreeException.doubleFree(address, stats,
                    "direct block already freed");
        }
        return region.size();
    }

    /** {@link #trim(DirectFront)} without a front. */
    public int trim() {
        return trim(null);
    }

    /**
     * Unmaps every cached mapping, the one the caller's {@code front} holds and those of the fronts of ended threads
     * (the allocator's {@code trim()}); live blocks, and the fronts of other live threads, are untouched. Returns how
     * many.
     */
    public int trim(DirectFront front) {
        int n = 0;
        if (front != null && front.held != null) {
            DirectRegion r = front.held;
            front.held = null;
            unmap(r);
            n++;
        }
        return n + endedFronts(true) + cache.drain();
    }

    /**
     * Takes the mappings that fronts of ended threads still hold, unmapped ({@link #trim}) or sent to the cache (a miss
     * of {@link #allocate}: threads that only ever allocate large blocks, whose heaps are never reclaimed on a pool's
     * slow path, must not keep a mapping each after they end), and forgets those fronts. Returns how many mappings. A
     * scan of the fronts, on paths that make system calls anyway.
     */
    private int endedFronts(boolean unmap) {
        int n = 0;
        synchronized (fronts) {
            for (int i = fronts.size() - 1; i >= 0; i--) {
                DirectFront f = fronts.get(i);
                if (f.thread.isAlive()) {
                    continue;
                }
                DirectRegion r = f.held;
                removeAt(i);
                if (r != null) {
                    f.held = null;
                    n++;
                    if (unmap) {
                        unmap(r);
                    } else {
                        release(r);
                    }
                }
            }
        }
        return n;
    }

    /** Removes the front at {@code i} (order does not matter); under the list's lock. */
    private void removeAt(int i) {
        DirectFront last = fronts.removeLast();
        if (i < fronts.size()) {
            fronts.set(i, last);
        }
    }

    /** Unmaps every direct mapping, cached and live (allocator close). */
    public void closeAll() {
        cache.forgetAll(); // still in the mapped list: unmapped below, as close's (those the fronts hold too)
        synchronized (fronts) {
            fronts.clear();
        }
        DirectRegion region;
        while ((region = pollMapped()) != null) {
            region.markFreed();
            regions.unregister(region);
            region.invalidateViews();
            os.unmap(region.mapping(), SyscallCause.CLOSE);
        }
    }

    /** Direct blocks live now (diagnostics: walks every mapping). */
    public int liveCount() {
        synchronized (mapped) {
            int n = 0;
            for (DirectRegion r = mapped.first(); r != null; r = r.link.next()) {
                if (r.isLive()) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Fronts made and not forgotten yet (tests and diagnostics). */
    public int frontCount() {
        synchronized (fronts) {
            return fronts.size();
        }
    }

    /** Freed mappings waiting in the cache now. */
    public int cachedCount() {
        return cache.count();
    }

    /** Bytes mapped for the mappings in the cache now (their reservations). */
    public long cachedBytes() {
        return cache.bytes();
    }

    private DirectRegion map(long length) {
        Mapping mapping = os.mapAligned(length, regions.granule(), SyscallCause.DIRECT);
        DirectRegion region = new DirectRegion(mapping);
        try {
            regions.register(region);
        } catch (Throwable t) { // e.g. no Java heap left for the map's leaves: the mapping must not leak
            os.unmap(mapping, SyscallCause.DIRECT);
            throw t;
        }
        synchronized (mapped) {
            mapped.addFirst(region.link);
        }
        return region;
    }

    private DirectRegion pollMapped() {
        synchronized (mapped) {
            return mapped.pollFirst();
        }
    }

    /** Gives a freed region's mapping back to the OS: unregistered first, so no look-up finds it unmapped. */
    private void unmap(DirectRegion region) {
        regions.unregister(region);
        synchronized (mapped) {
            mapped.remove(region.link);
        }
        region.invalidateViews();
        os.unmap(region.mapping(), SyscallCause.DIRECT);
    }

    private static void requireBlockStart(DirectRegion region, long address, ThreadStats stats) {
        if (address != region.base()) {
            throw InvalidFreeException.interior(address, stats,
                    "inside the direct block at 0x" + Long.toHexString(region.base()));
        }
    }
}
