package dev.slabworks.api.superslab;

import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.ThreadStats;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A cache of empty SuperSlabs kept mapped for reuse (the seed's {@code HAKMEM_SS_LRU_SIZE}), with prewarm
 * ({@code HAKMEM_SS_PREWARM}): shared-pool's LRU (strategy-superslab's {@code SuperSlabPool} keeps the same
 * policy in a deque of its own). Generic in the strategy's SuperSlab descriptor {@code S}, which stays
 * whatever it was (mapped, registered) while cached.
 *
 * <pre>
 *   oldest (evicted first)  [ s0 | s1 | ... | s(n-1) ]  newest (taken first: warmest pages)
 *   n <= capacity;  capacity 0 releases every SuperSlab as it empties (the seed's churn)
 * </pre>
 *
 * <p>Counts {@link Stat#LRU_HITS}, {@link Stat#LRU_MISSES}, {@link Stat#LRU_EVICTIONS} and
 * {@link Stat#PREWARMED} in the caller's {@link ThreadStats}. Not thread-safe: the strategy calls it
 * under the lock that guards its SuperSlab bookkeeping (slow paths only).
 */
public final class SuperSlabLru<S> {
    private final int capacity;
    private final Consumer<S> release;
    private final ArrayDeque<S> entries = new ArrayDeque<>();
    /** Prewarmed SuperSlabs not taken yet, evicted or not: what prewarm mapped for nothing (reports only). */
    private final Set<S> prewarmedNeverTaken = Collections.newSetFromMap(new IdentityHashMap<>());

    /** {@code release} unmaps (and unregisters) a SuperSlab evicted or left over at {@link #clear}. */
    public SuperSlabLru(int capacity, Consumer<S> release) {
        if (capacity < 0) {
            throw new IllegalArgumentException("negative LRU capacity: " + capacity);
        }
        this.capacity = capacity;
        this.release = release;
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return entries.size();
    }

    /** The most recently cached SuperSlab (a hit), or null (a miss: the caller maps a new one). */
    public S take(ThreadStats stats) {
        S s = entries.pollLast();
        stats.increment(s != null ? Stat.LRU_HITS : Stat.LRU_MISSES);
        if (s != null) {
            prewarmedNeverTaken.remove(s);
        }
        return s;
    }

    /** Caches an empty SuperSlab, evicting (releasing) the oldest when full; capacity 0 releases it at once. */
    public void put(S superSlab, ThreadStats stats) {
        if (capacity == 0) {
            release.accept(superSlab);
            stats.increment(Stat.LRU_EVICTIONS);
            return;
        }
        if (entries.size() == capacity) {
            release.accept(entries.pollFirst());
            stats.increment(Stat.LRU_EVICTIONS);
        }
        entries.addLast(superSlab);
    }

    /**
     * Fills the cache ahead of demand with up to {@code count} SuperSlabs from {@code map}, never past
     * capacity; returns how many were mapped.
     */
    public int prewarm(int count, Supplier<S> map, ThreadStats stats) {
        int n = 0;
        while (n < count && entries.size() < capacity) {
            S s = map.get();
            entries.addLast(s);
            prewarmedNeverTaken.add(s);
            n++;
        }
        stats.add(Stat.PREWARMED, n);
        return n;
    }

    /** SuperSlabs {@link #prewarm} mapped that {@link #take} never handed out. */
    public int prewarmedNeverTaken() {
        return prewarmedNeverTaken.size();
    }

    /** Whether {@code superSlab} is cached now (O(size); for checks and tests). */
    public boolean contains(S superSlab) {
        return entries.contains(superSlab);
    }

    /** Forgets every cached SuperSlab without releasing it: for an owner that releases them itself (close). */
    public void forgetAll() {
        entries.clear();
    }

    /** Releases every cached SuperSlab (an explicit trim). */
    public void clear() {
        S s;
        while ((s = entries.pollFirst()) != null) {
            release.accept(s);
        }
    }
}
