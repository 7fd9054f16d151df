package dev.slabworks.api.superslab;

import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.ThreadStats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A cache of empty SuperSlabs kept mapped for reuse (the seed's {@code HAKMEM_SS_LRU_SIZE}), with prewarm
 * ({@code HAKMEM_SS_PREWARM}): the policy both SuperSlab strategies use, in one place. Generic in the strategy's
 * SuperSlab descriptor {@code S}, which stays whatever it was (mapped, registered) while cached.
 *
 * <pre>
 *   oldest (evicted first)  [ s0 | s1 | ... | s(n-1) ]  newest (taken first: warmest pages)
 *   after a put, n <= capacity (prewarm alone may fill past it); capacity 0 hands every SuperSlab put back at
 *   once (the seed's churn) and leaves what prewarm cached alone
 * </pre>
 *
 * <p>Room that adapts to churn ({@link #SuperSlabLru(int, int)}; superslab's {@code ss.lru.max}): a miss after the
 * cache evicted something since the last miss means it gave back a SuperSlab that was wanted soon after (a burst of
 * empties larger than the room, as when an ended thread's heap is reclaimed under larson's churn), so the room
 * doubles, up to the most allowed. Room no take needed is given back: every {@code room} puts, the room shrinks by
 * the fewest SuperSlabs the cache held in that while (never below the base; the first such while after a doubling
 * gives nothing back), and that put evicts down to it.
 * Both rules count events, not time, so a run is deterministic; with base 0 the cache stays off.
 *
 * <p>The cache decides and the caller acts: {@link #put} and {@link #clear} return the SuperSlabs to release
 * (unregister and unmap), so a caller may do that outside its lock. Counts {@link Stat#LRU_HITS},
 * {@link Stat#LRU_MISSES}, {@link Stat#LRU_EVICTIONS} and {@link Stat#PREWARMED} in the caller's
 * {@link ThreadStats}. Not thread-safe: the strategy calls it under the lock that guards its SuperSlab
 * bookkeeping (slow paths only). mimalloc-like keeps empty segments by its own rule instead (any of them may
 * leave the middle of its LRU when a page of it is taken: see its {@code PagePool}).
 */
public final class SuperSlabLru<S> {
    private final int base;
    private final int most;
    /** The room now: {@code base <= capacity <= most}. */
    private int capacity;
    /** The largest room so far. */
    private int roomReached;
    /** Whether a put evicted since the last miss. */
    private boolean evictedSinceMiss;
    /** Puts since the room was last checked for unused SuperSlabs, and the fewest cached in that while. */
    private int putsInWindow;
    private int lowWater;
    private final ArrayDeque<S> entries = new ArrayDeque<>();
    /** Prewarmed SuperSlabs not taken yet, evicted or not: what prewarm mapped for nothing (reports only). */
    private final Set<S> prewarmedNeverTaken = Collections.newSetFromMap(new IdentityHashMap<>());

    /** A cache of fixed room {@code capacity} (0: every SuperSlab put back is released at once). */
    public SuperSlabLru(int capacity) {
        this(capacity, capacity);
    }

    /** A cache whose room starts at {@code base} and adapts between it and {@code most} (see the class comment). */
    public SuperSlabLru(int base, int most) {
        if (base < 0) {
            throw new IllegalArgumentException("negative LRU capacity: " + base);
        }
        this.base = base;
        this.most = base == 0 ? 0 : Math.max(base, most);
        this.capacity = base;
        this.roomReached = base;
    }

    /** The room now. */
    public int capacity() {
        return capacity;
    }

    /** The largest room so far (the base until it grew). */
    public int roomReached() {
        return roomReached;
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
            lowWater = Math.min(lowWater, entries.size());
        } else {
            if (evictedSinceMiss && capacity < most) { // it gave back what was wanted soon after: more room
                capacity = Math.min(most, 2 * capacity);
                roomReached = Math.max(roomReached, capacity);
                putsInWindow = 0;
                lowWater = 0;
            }
            evictedSinceMiss = false;
        }
        return s;
    }

    /**
     * Caches an empty SuperSlab as the newest and returns those now past capacity, oldest first, each counted as an
     * eviction, for the caller to release; with capacity 0, {@code superSlab} itself. Usually empty.
     */
    public List<S> put(S superSlab, ThreadStats stats) {
        if (capacity == 0) {
            stats.increment(Stat.LRU_EVICTIONS);
            return List.of(superSlab);
        }
        entries.addLast(superSlab);
        if (capacity > base && ++putsInWindow >= capacity) { // room no take needed in that while goes back
            capacity = Math.max(base, capacity - lowWater);
            putsInWindow = 0;
            lowWater = entries.size();
        }
        List<S> evicted = evictPast(capacity, stats);
        if (!evicted.isEmpty()) {
            evictedSinceMiss = true;
        }
        return evicted;
    }

    /**
     * Brings a grown room back to the base and returns what the cache held past it, oldest first, each counted as an
     * eviction, for the caller to release (a trim: memory back, the churn's room to be earned again). A room that never
     * grew is left as it is, prewarmed SuperSlabs past it included.
     */
    public List<S> shrinkToBase(ThreadStats stats) {
        if (capacity == base) {
            return List.of();
        }
        capacity = base;
        putsInWindow = 0;
        evictedSinceMiss = false;
        return evictPast(base, stats);
    }

    /** Takes the oldest entries off until at most {@code room} are left, each counted as an eviction; oldest first. */
    private List<S> evictPast(int room, ThreadStats stats) {
        if (entries.size() <= room) {
            return List.of();
        }
        List<S> evicted = new ArrayList<>(entries.size() - room);
        while (entries.size() > room) {
            evicted.add(entries.pollFirst());
            stats.increment(Stat.LRU_EVICTIONS);
        }
        return evicted;
    }

    /**
     * Fills the cache ahead of demand with {@code count} SuperSlabs from {@code map} (as many as asked, past capacity
     * too: a strategy that wants no more than its LRU holds asks for no more). If {@code map} throws, those mapped
     * so far stay cached and {@link #clear} gives them back.
     */
    public void prewarm(int count, Supplier<S> map, ThreadStats stats) {
        for (int n = 0; n < count; n++) {
            S s = map.get();
            entries.addLast(s);
            prewarmedNeverTaken.add(s);
            stats.increment(Stat.PREWARMED);
        }
    }

    /** SuperSlabs {@link #prewarm} mapped that {@link #take} never handed out (cached or evicted since). */
    public int prewarmedNeverTaken() {
        return prewarmedNeverTaken.size();
    }

    /** Whether {@code superSlab} is cached now (O(size); for checks and tests). */
    public boolean contains(S superSlab) {
        return entries.contains(superSlab);
    }

    /** Empties the cache (allocator close or an explicit trim); returns what it held, for the caller to release. */
    public List<S> clear() {
        List<S> all = new ArrayList<>(entries);
        entries.clear();
        return all;
    }
}
