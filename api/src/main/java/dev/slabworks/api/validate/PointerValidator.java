package dev.slabworks.api.validate;

import dev.slabworks.api.Region;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.SyscallCause;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.ThreadStats;

/**
 * Finds the region that owns an address handed to {@code free}, in the {@link ValidationMode} the
 * knobs select. Shared by every strategy so that the modes cost the same everywhere.
 *
 * <p>Safety argument, the same for every mode: the answer comes from the {@link RegionMap}, which
 * is Java-heap memory; no mode reads the address or anything near it. MINCORE modes add the seed's
 * {@code mincore()} in front (a page the kernel says is unmapped is foreign without further ado),
 * so their syscall count and time are what the seed paid.
 */
public final class PointerValidator<R extends Region> {
    private final ValidationMode mode;
    private final RegionMap<R> regions;
    private final Os os;
    private final int cacheEntries;

    /** @param cacheEntries entries of each thread's MINCORE_CACHED cache (the knob {@code mincore.cache.entries}) */
    public PointerValidator(ValidationMode mode, RegionMap<R> regions, Os os, int cacheEntries) {
        this.mode = mode;
        this.regions = regions;
        this.os = os;
        this.cacheEntries = cacheEntries;
    }

    public ValidationMode mode() {
        return mode;
    }

    public RegionMap<R> regions() {
        return regions;
    }

    /** A new per-thread cache for {@link #find}; each thread keeps its own. */
    public MincoreCache newThreadCache() {
        return newThreadCache(regions.granule());
    }

    /**
     * A per-thread cache whose entries cover {@code granule} bytes each (a power of two), for a strategy
     * whose regions are larger than the map's granule (a 2 MiB SuperSlab over 64 KiB granules): one
     * entry then stands for a whole region. As safe as the default: a hit only skips the syscall.
     */
    public MincoreCache newThreadCache(long granule) {
        return new MincoreCache(mode == ValidationMode.MINCORE_CACHED ? cacheEntries : 1, granule);
    }

    /** The region owning {@code address}, or null when the allocator does not own it. */
    public R find(long address, ThreadStats stats, MincoreCache cache) {
        return switch (mode) {
            case REGISTRY -> regions.lookup(address);
            case MINCORE -> os.isMapped(address, SyscallCause.VALIDATION) ? regions.lookup(address) : null;
            case MINCORE_CACHED -> findCached(address, stats, cache);
        };
    }

    private R findCached(long address, ThreadStats stats, MincoreCache cache) {
        if (cache.contains(address)) {
            stats.increment(Stat.MINCORE_CACHE_HITS);
            return regions.lookup(address);
        }
        stats.increment(Stat.MINCORE_CACHE_MISSES);
        if (!os.isMapped(address, SyscallCause.VALIDATION)) {
            return null;
        }
        R region = regions.lookup(address);
        if (region != null) {
            cache.remember(address);
        }
        return region;
    }
}
