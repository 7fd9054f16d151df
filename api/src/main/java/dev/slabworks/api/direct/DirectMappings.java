package dev.slabworks.api.direct;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.RegionMap;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blocks above the largest size class: each is its own granule-aligned mapping, registered in the
 * allocator's {@link RegionMap} like any other region, and unmapped when freed. Shared by every
 * strategy. Thread-safe: a free is claimed with one CAS, so racing frees of one block see exactly
 * one success and one {@code DOUBLE_FREE}.
 */
public final class DirectMappings {
    private final Os os;
    private final RegionMap<? super DirectRegion> regions;
    private final Set<DirectRegion> live = ConcurrentHashMap.newKeySet();

    public DirectMappings(Os os, RegionMap<? super DirectRegion> regions) {
        this.os = os;
        this.regions = regions;
    }

    public long allocate(long size, ThreadStats stats) {
        long granule = regions.granule();
        long length = (Math.max(size, 1) + granule - 1) & -granule;
        if (length < size) {
            throw new IllegalArgumentException("size too large: " + size);
        }
        Mapping mapping = os.mapAligned(length, granule);
        DirectRegion region = new DirectRegion(mapping);
        regions.register(region);
        live.add(region);
        stats.increment(Stat.DIRECT_ALLOCATIONS);
        stats.allocated(region.size());
        return region.base();
    }

    /** Frees the block of {@code region} at {@code address}; the region came from the allocator's registry. */
    public void free(DirectRegion region, long address, ThreadStats stats) {
        requireBlockStart(region, address, stats);
        if (!region.markFreed()) {
            throw InvalidFreeException.rejected(InvalidFreeException.Kind.DOUBLE_FREE, address, stats,
                    "direct block already freed");
        }
        regions.unregister(region);
        live.remove(region);
        os.unmap(region.mapping());
        stats.freed(region.size());
    }

    public long usableSize(DirectRegion region, long address, ThreadStats stats) {
        requireBlockStart(region, address, stats);
        if (!region.isLive()) {
            throw InvalidFreeException.rejected(InvalidFreeException.Kind.DOUBLE_FREE, address, stats,
                    "direct block already freed");
        }
        return region.size();
    }

    /** Unmaps every live direct block (allocator close). */
    public void closeAll() {
        for (DirectRegion region : live) {
            if (region.markFreed()) {
                regions.unregister(region);
                os.unmap(region.mapping());
            }
        }
        live.clear();
    }

    public int liveCount() {
        return live.size();
    }

    private static void requireBlockStart(DirectRegion region, long address, ThreadStats stats) {
        if (address != region.base()) {
            throw InvalidFreeException.rejected(InvalidFreeException.Kind.INTERIOR, address, stats,
                    "inside the direct block at 0x" + Long.toHexString(region.base()));
        }
    }
}
