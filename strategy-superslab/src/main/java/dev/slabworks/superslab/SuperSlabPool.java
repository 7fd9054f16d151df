package dev.slabworks.superslab;

import dev.slabworks.api.Region;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.os.SyscallCause;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.superslab.SuperSlabLru;
import dev.slabworks.api.validate.RegionMap;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where SuperSlabs come from and go to: mapping, the LRU of empty SuperSlabs and prewarm (api's
 * {@link SuperSlabLru}, the policy shared-pool uses too), unmapping. Shared by every thread heap of one
 * allocator; every method is a slow path and takes this pool's lock only around the LRU (never around a
 * syscall, but for prewarm, which runs in the allocator's constructor before any other thread can call).
 *
 * <ol>
 *   <li>{@link #acquire}: the most recently emptied SuperSlab from the LRU ({@code LRU_HITS}); else a
 *       new mapping ({@code LRU_MISSES}, one {@code mmap}). Either way it is formatted for the class and heap.</li>
 *   <li>{@link #release}: with {@code ss.lru.size = 0} the SuperSlab is unregistered and unmapped at once
 *       (the seed's churn). Otherwise it goes to the newest end of the LRU, keeping its pages as they are, and
 *       while the LRU holds more than its room, the oldest is unmapped. Either way each unmapped one counts in
 *       {@code LRU_EVICTIONS}. The room starts at {@code ss.lru.size} and grows under churn up to
 *       {@code ss.lru.max} (a mapping soon after an unmapping doubles it; see {@link SuperSlabLru}).</li>
 *   <li>Prewarm: {@code ss.prewarm} SuperSlabs are mapped when the allocator starts and put in the LRU
 *       (so they are hits when taken), however small the LRU; they count in {@code PREWARMED}. They obey the
 *       same eviction rule once emptied SuperSlabs push them out; with {@code ss.lru.size = 0} they stay
 *       until taken (nothing is pushed).</li>
 *   <li>Unmap order: unregister from the RegionMap first, then {@code munmap}, so a concurrent
 *       look-up sees either nothing or a descriptor whose slab is all FREE (rejected without a read).</li>
 * </ol>
 * The {@code SUPERSLABS} gauge counts SuperSlabs mapped now, the LRU's included.
 */
final class SuperSlabPool {
    private final Os os;
    private final Stats stats;
    private final RegionMap<Region> regions;
    private final long ssSize;
    /** The knob {@code slab.start.shared}: whether {@link #acquire} may start a slab shared at all. */
    private final boolean startShared;
    /** Guarded by this pool's lock. */
    private final SuperSlabLru<SuperSlab> lru;
    private final Set<SuperSlab> mapped = ConcurrentHashMap.newKeySet();
    private long nextId;

    SuperSlabPool(Os os, Stats stats, RegionMap<Region> regions, long ssSize, int lruSize, int lruMax,
                  boolean startShared) {
        this.os = os;
        this.startShared = startShared;
        this.stats = stats;
        this.regions = regions;
        this.ssSize = ssSize;
        this.lru = new SuperSlabLru<>(lruSize, lruMax);
    }

    long ssSize() {
        return ssSize;
    }

    /** Maps {@code count} SuperSlabs ahead into the LRU. If an {@code mmap} is refused, those mapped stay in the LRU. */
    synchronized void prewarm(int count, ThreadStats st) {
        lru.prewarm(count, () -> map(SyscallCause.PREWARM), st);
    }

    /**
     * A SuperSlab formatted for {@code cls} and owned by {@code owner}, its slab {@link Slab#isShared shared} from the
     * start when {@code shared} (the owner expects frees from other threads) or when another thread freed into the
     * SuperSlab's last slab ({@link Slab#freedRemotely}), unless the knob {@code slab.start.shared} is off. Both follow
     * evidence, so a program no other thread frees into keeps private slabs and plain owner frees.
     */
    SuperSlab acquire(int cls, Object owner, boolean shared, ThreadStats st) {
        SuperSlab ss;
        synchronized (this) {
            ss = lru.take(st);
        }
        if (ss == null) {
            ss = map(SyscallCause.SUPERSLAB_MAP);
        }
        ss.format(cls, owner, Slab.startsShared(startShared, shared, ss.slab()));
        return ss;
    }

    /** Takes back an empty SuperSlab (its heap dropped it from its lists). */
    void release(SuperSlab ss, ThreadStats st) {
        List<SuperSlab> evicted;
        synchronized (this) {
            evicted = lru.put(ss, st);
        }
        unmapEvicted(evicted);
    }

    /** Brings the LRU's room back to {@code ss.lru.size} and unmaps what it held past that ({@code trim()}). */
    void trimLru(ThreadStats st) {
        List<SuperSlab> evicted;
        synchronized (this) {
            evicted = lru.shrinkToBase(st);
        }
        unmapEvicted(evicted);
    }

    /** Unmaps what the LRU evicted, outside the pool's lock. */
    private void unmapEvicted(List<SuperSlab> evicted) {
        for (SuperSlab e : evicted) {
            unmap(e, SyscallCause.LRU_EVICTION);
        }
    }

    /** The largest room the LRU grew to (for the close-time report). */
    synchronized int lruRoomReached() {
        return lru.roomReached();
    }

    /** The LRU's room now. */
    synchronized int lruCapacity() {
        return lru.capacity();
    }

    /** Empty SuperSlabs waiting in the LRU now. */
    synchronized int lruLength() {
        return lru.size();
    }

    /** SuperSlabs mapped now (LRU included). */
    int mappedCount() {
        return mapped.size();
    }

    /** Prewarmed SuperSlabs no heap ever took (for the close-time report). */
    synchronized int prewarmedNeverTaken() {
        return lru.prewarmedNeverTaken();
    }

    /** Unmaps every SuperSlab, owned or cached (allocator close, or a constructor whose prewarm failed). */
    void closeAll() {
        synchronized (this) {
            lru.clear(); // every one of them is in mapped too
        }
        for (SuperSlab ss : List.copyOf(mapped)) {
            unmap(ss, SyscallCause.CLOSE);
        }
    }

    private SuperSlab map(SyscallCause cause) {
        Mapping m = os.mapAligned(ssSize, ssSize, cause);
        long id;
        synchronized (this) {
            id = nextId++;
        }
        SuperSlab ss;
        try {
            ss = new SuperSlab(m, id);
            regions.register(ss);
        } catch (Throwable t) { // e.g. no Java heap left for the descriptor or the map's leaves: no leaked mapping
            os.unmap(m, cause);
            throw t;
        }
        mapped.add(ss);
        stats.gaugeAdd(Stat.SUPERSLABS, 1);
        return ss;
    }

    private void unmap(SuperSlab ss, SyscallCause cause) {
        if (!mapped.remove(ss)) {
            return;
        }
        regions.unregister(ss);
        ss.invalidateViews();
        os.unmap(ss.mapping(), cause);
        stats.gaugeAdd(Stat.SUPERSLABS, -1);
    }
}
