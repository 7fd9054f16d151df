package dev.slabworks.superslab;

import dev.slabworks.api.Region;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.RegionMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where SuperSlabs come from and go to: mapping, the LRU of empty SuperSlabs, prewarm, unmapping.
 * Shared by every thread heap of one allocator; every method is a slow path and takes this pool's lock
 * only around the LRU deque (never around a syscall).
 *
 * <ol>
 *   <li>{@link #acquire}: the most recently emptied SuperSlab from the LRU ({@code LRU_HITS}); else a
 *       new mapping ({@code LRU_MISSES}, one {@code mmap}). Either way it is formatted for the class and heap.</li>
 *   <li>{@link #release}: with {@code ss.lru.size = 0} the SuperSlab is unregistered and unmapped at once
 *       (the seed's churn). Otherwise it goes to the front of the LRU, keeping its pages as they are, and
 *       while the LRU holds more than {@code ss.lru.size}, the oldest is unmapped ({@code LRU_EVICTIONS}).</li>
 *   <li>Prewarm: {@code ss.prewarm} SuperSlabs are mapped when the allocator starts and put at the back
 *       of the LRU (so they are hits when taken); they count in {@code PREWARMED}. They obey the same
 *       eviction rule once emptied SuperSlabs push them out; with {@code ss.lru.size = 0} they stay
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
    private final int lruSize;
    private final ArrayDeque<SuperSlab> lru = new ArrayDeque<>();
    private final Set<SuperSlab> mapped = ConcurrentHashMap.newKeySet();
    private long nextId;
    private int prewarmed;

    SuperSlabPool(Os os, Stats stats, RegionMap<Region> regions, long ssSize, int lruSize) {
        this.os = os;
        this.stats = stats;
        this.regions = regions;
        this.ssSize = ssSize;
        this.lruSize = lruSize;
    }

    long ssSize() {
        return ssSize;
    }

    /** Maps {@code count} SuperSlabs ahead into the LRU. */
    void prewarm(int count, ThreadStats st) {
        for (int i = 0; i < count; i++) {
            SuperSlab ss = map();
            ss.prewarmedUnused = true;
            synchronized (this) {
                lru.addLast(ss);
                prewarmed++;
            }
            st.increment(Stat.PREWARMED);
        }
    }

    /** A SuperSlab formatted for {@code cls} and owned by {@code owner}. */
    SuperSlab acquire(int cls, Object owner, ThreadStats st) {
        SuperSlab ss;
        synchronized (this) {
            ss = lru.pollFirst();
        }
        if (ss != null) {
            st.increment(Stat.LRU_HITS);
        } else {
            st.increment(Stat.LRU_MISSES);
            ss = map();
        }
        ss.format(cls, owner);
        return ss;
    }

    /** Takes back an empty SuperSlab (its heap dropped it from its lists). */
    void release(SuperSlab ss, ThreadStats st) {
        if (lruSize == 0) {
            unmap(ss);
            return;
        }
        List<SuperSlab> evicted = null;
        synchronized (this) {
            lru.addFirst(ss);
            while (lru.size() > lruSize) {
                if (evicted == null) {
                    evicted = new ArrayList<>(2);
                }
                evicted.add(lru.pollLast());
            }
        }
        if (evicted != null) {
            for (SuperSlab e : evicted) {
                st.increment(Stat.LRU_EVICTIONS);
                unmap(e);
            }
        }
    }

    /** Empty SuperSlabs waiting in the LRU now. */
    synchronized int lruLength() {
        return lru.size();
    }

    /** SuperSlabs mapped now (LRU included). */
    int mappedCount() {
        return mapped.size();
    }

    synchronized int prewarmed() {
        return prewarmed;
    }

    /** Prewarmed SuperSlabs never formatted so far. */
    int prewarmedUnused() {
        int n = 0;
        for (SuperSlab ss : mapped) {
            if (ss.prewarmedUnused) {
                n++;
            }
        }
        return n;
    }

    /** Unmaps every SuperSlab, owned or cached (allocator close). */
    void closeAll() {
        synchronized (this) {
            lru.clear();
        }
        for (SuperSlab ss : List.copyOf(mapped)) {
            unmap(ss);
        }
    }

    private SuperSlab map() {
        Mapping m = os.mapAligned(ssSize, ssSize);
        long id;
        synchronized (this) {
            id = nextId++;
        }
        SuperSlab ss = new SuperSlab(m, id);
        regions.register(ss);
        mapped.add(ss);
        stats.gaugeAdd(Stat.SUPERSLABS, 1);
        return ss;
    }

    private void unmap(SuperSlab ss) {
        if (!mapped.remove(ss)) {
            return;
        }
        regions.unregister(ss);
        ss.invalidateViews();
        os.unmap(ss.mapping());
        stats.gaugeAdd(Stat.SUPERSLABS, -1);
    }
}
