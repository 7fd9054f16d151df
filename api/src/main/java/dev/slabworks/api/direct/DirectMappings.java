package dev.slabworks.api.direct;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.OutOfNativeMemoryError;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.RegionMap;

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
 * mapping. Every mapped region is in a {@link DirectRegionList}, touched only when a mapping is made or
 * unmapped.
 */
public final class DirectMappings {
    private final Os os;
    private final RegionMap<? super DirectRegion> regions;
    private final DirectRegionList mapped = new DirectRegionList();
    private final DirectMappingCache cache;
    private final boolean caching;

    /** No cache: every free unmaps its block at once (the behaviour before the cache existed). */
    public DirectMappings(Os os, RegionMap<? super DirectRegion> regions) {
        this(os, regions, 0, 0);
    }

    /**
     * With a cache of at most {@code cacheCount} freed mappings and {@code cacheBytes} bytes (the knobs
     * {@code direct.cache.count} and {@code direct.cache.bytes}); either 0 disables it.
     */
    public DirectMappings(Os os, RegionMap<? super DirectRegion> regions, int cacheCount, long cacheBytes) {
        this.os = os;
        this.regions = regions;
        this.cache = new DirectMappingCache(cacheCount, cacheBytes, this::unmap);
        this.caching = cache.enabled();
    }

    public long allocate(long size, ThreadStats stats) {
        if (size > Os.MAX_MAPPING) { // before any rounding can overflow, any cache look-up, any call
            throw new OutOfNativeMemoryError("cannot allocate " + size + " bytes: more than this machine's "
                    + Os.MAX_MAPPING + " bytes of physical memory");
        }
        long granule = regions.granule();
        long length = (Math.max(size, 1) + granule - 1) & -granule;
        DirectRegion region = null;
        if (caching) {
            region = cache.take(length);
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

    /** Frees the block of {@code region} at {@code address}; the region came from the allocator's registry. */
    public void free(DirectRegion region, long address, ThreadStats stats) {
        requireBlockStart(region, address, stats);
        if (!region.markFreed()) {
            throw InvalidFreeException.doubleFree(address, stats,
                    "direct block already freed");
        }
        stats.freed(region.size());
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

    /** Unmaps every cached mapping (the allocator's {@code trim()}); live blocks are untouched. Returns how many. */
    public int trim() {
        return cache.drain();
    }

    /** Unmaps every direct mapping, cached and live (allocator close). */
    public void closeAll() {
        cache.drain();
        DirectRegion region;
        while ((region = mapped.poll()) != null) {
            region.markFreed();
            regions.unregister(region);
            region.invalidateViews();
            os.unmap(region.mapping());
        }
    }

    /** Direct blocks live now (diagnostics: walks every mapping). */
    public int liveCount() {
        return mapped.liveCount();
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
        Mapping mapping = os.mapAligned(length, regions.granule());
        DirectRegion region = new DirectRegion(mapping);
        try {
            regions.register(region);
        } catch (Throwable t) { // e.g. no Java heap left for the map's leaves: the mapping must not leak
            os.unmap(mapping);
            throw t;
        }
        mapped.add(region);
        return region;
    }

    /** Gives a freed region's mapping back to the OS: unregistered first, so no look-up finds it unmapped. */
    private void unmap(DirectRegion region) {
        regions.unregister(region);
        mapped.remove(region);
        region.invalidateViews();
        os.unmap(region.mapping());
    }

    private static void requireBlockStart(DirectRegion region, long address, ThreadStats stats) {
        if (address != region.base()) {
            throw InvalidFreeException.interior(address, stats,
                    "inside the direct block at 0x" + Long.toHexString(region.base()));
        }
    }
}
