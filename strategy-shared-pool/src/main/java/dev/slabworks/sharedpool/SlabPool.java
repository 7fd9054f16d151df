package dev.slabworks.sharedpool;

import dev.slabworks.api.Region;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.superslab.SuperSlabLru;
import dev.slabworks.api.validate.RegionMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shared pool: every mapped {@link SharedSuperSlab}, which slabs are free, the LRU of empty
 * SuperSlabs, and the purge queue. All of it is slow-path state behind this object's lock; the
 * allocate and free fast paths never come here.
 *
 * <p><b>Placement policy (fullest first).</b> A slab for a size class comes from
 * <ol>
 *   <li>the in-use SuperSlab with the <em>fewest</em> free slabs among those with at least one
 *       (ties: the lowest base address), and within it the lowest free slot; else</li>
 *   <li>the LRU's most recently cached empty SuperSlab (an {@code LRU_HIT}); else</li>
 *   <li>a new mapping ({@code LRU_MISS}).</li>
 * </ol>
 * Packing new slabs into the fullest SuperSlab lets the emptier ones drain completely and reach the
 * LRU; the address tie-break makes the choice deterministic (and tests exact). Invariants, checked
 * by {@link #checkInvariants()}:
 * <ul>
 *   <li>{@code candidates} holds exactly the mapped SuperSlabs with {@code 0 < freeCount < slotCount},
 *       ordered by {@code (freeCount, base)}; the LRU holds exactly those with
 *       {@code freeCount == slotCount}; a SuperSlab with no free slot is in neither.</li>
 *   <li>{@code freeCount} equals the number of unassigned slots.</li>
 *   <li>every mapped SuperSlab is registered in the RegionMap; {@code SUPERSLABS} counts them all,
 *       in use and in the LRU alike (both are mapped).</li>
 * </ul>
 *
 * <p><b>Purging.</b> A slot that comes back free is due for {@code madvise(PURGE_ADVICE)} once it
 * has been free for {@code PURGE_DELAY_MS} (0: at once, -1: never). Due purges run lazily, on the
 * pool's slow paths (a slab assigned or returned) and on {@link #purgeDue}, which
 * {@code SharedPoolAllocator.trim()} calls; there is no background thread. LRU'd SuperSlabs are
 * purged the same way, slot by slot, so after a workload has freed everything and the delay has
 * passed the pool holds only the LRU's mappings, with no resident pages in them.
 */
final class SlabPool {
    /** Fullest first: fewest free slabs, then lowest address. */
    static final Comparator<SharedSuperSlab> FULLEST_FIRST =
            Comparator.<SharedSuperSlab>comparingInt(s -> s.freeCount).thenComparingLong(s -> s.start);

    /** A slot due for purging at {@code freeSince + delay}, if it has not changed hands since ({@code generation}). */
    private record Due(SlabSlot slot, int generation, long freeSince) {
    }

    private final Os os;
    private final Stats stats;
    private final RegionMap<Region> regions;
    private final long superSlabSize;
    private final long slabSize;
    private final long purgeDelayNanos;
    private final Advice advice;
    private final TreeSet<SharedSuperSlab> candidates = new TreeSet<>(FULLEST_FIRST);
    private final SuperSlabLru<SharedSuperSlab> lru;
    private final ArrayDeque<Due> purgeQueue = new ArrayDeque<>();
    private final Set<SharedSuperSlab> mapped = new LinkedHashSet<>();

    SlabPool(Os os, Stats stats, RegionMap<Region> regions, long superSlabSize, long slabSize,
             int lruSize, long purgeDelayMs, Advice advice) {
        this.os = os;
        this.stats = stats;
        this.regions = regions;
        this.superSlabSize = superSlabSize;
        this.slabSize = slabSize;
        this.purgeDelayNanos = purgeDelayMs < 0 ? -1 : purgeDelayMs * 1_000_000L;
        this.advice = advice;
        this.lru = new SuperSlabLru<>(lruSize, this::release);
    }

    long slabSize() {
        return slabSize;
    }

    /** Maps up to {@code count} SuperSlabs into the LRU ahead of demand. */
    synchronized int prewarm(int count, ThreadStats st) {
        return lru.prewarm(count, this::mapNew, st);
    }

    /** A slot of a SuperSlab chosen by the placement policy, assigned to {@code cls} and {@code owner}. */
    synchronized SlabSlot assign(int cls, Object owner, ThreadStats st) {
        SharedSuperSlab ss = candidates.pollFirst();
        if (ss == null) {
            ss = lru.take(st);
            if (ss == null) {
                ss = mapNew();
            }
        }
        SlabSlot slot = ss.slots[ss.lowestFreeSlot()];
        slot.assigned = true;
        slot.generation++;
        ss.freeCount--;
        if (ss.freeCount > 0) {
            candidates.add(ss);
        }
        Slab slab = new Slab(ss.slabBase(slot.index), slabSize, cls);
        slab.owner = owner;
        slot.slab = slab;
        ss.slabs[slot.index] = slab;
        st.increment(Stat.SLABS_ASSIGNED);
        purgeDue(System.nanoTime(), st);
        return slot;
    }

    /** Takes back an empty slab: its slot is free again, its SuperSlab may go to the LRU. */
    synchronized void giveBack(SlabSlot slot, ThreadStats st) {
        if (!slot.assigned || !slot.slab.isEmpty()) {
            throw new IllegalStateException("giving back " + slot);
        }
        SharedSuperSlab ss = slot.superSlab;
        slot.slab.owner = null; // the slab stays as a ghost: a late free of one of its blocks is DOUBLE_FREE
        slot.assigned = false;
        slot.generation++;
        long now = System.nanoTime();
        slot.freeSince = now;
        slot.purged = false;
        candidates.remove(ss);
        ss.freeCount++;
        st.increment(Stat.SLABS_RETURNED);
        if (ss.freeCount == ss.slotCount()) {
            lru.put(ss, st);
        } else {
            candidates.add(ss);
        }
        if (purgeDelayNanos == 0) {
            purge(slot, st);
        } else if (purgeDelayNanos > 0) {
            purgeQueue.addLast(new Due(slot, slot.generation, now));
        }
        purgeDue(now, st);
    }

    /** Purges every free slot whose delay has passed by {@code now}; returns how many. */
    synchronized int purgeDue(long now, ThreadStats st) {
        int n = 0;
        Due d;
        while ((d = purgeQueue.peekFirst()) != null && now - d.freeSince >= purgeDelayNanos) {
            purgeQueue.pollFirst();
            if (d.generation == d.slot.generation && purge(d.slot, st)) {
                n++;
            }
        }
        return n;
    }

    private boolean purge(SlabSlot slot, ThreadStats st) {
        if (slot.assigned || slot.purged || !slot.superSlab.mapped) {
            return false;
        }
        os.advise(slot.superSlab.slabBase(slot.index), slabSize, advice);
        slot.purged = true;
        st.increment(Stat.SLABS_PURGED);
        return true;
    }

    private SharedSuperSlab mapNew() {
        Mapping m = os.mapAligned(superSlabSize, superSlabSize);
        SharedSuperSlab ss = new SharedSuperSlab(m, slabSize);
        regions.register(ss);
        mapped.add(ss);
        stats.gaugeAdd(Stat.SUPERSLABS, 1);
        return ss;
    }

    private void release(SharedSuperSlab ss) {
        ss.mapped = false;
        regions.unregister(ss);
        mapped.remove(ss);
        ss.invalidateViews();
        os.unmap(ss.mapping());
        stats.gaugeAdd(Stat.SUPERSLABS, -1);
    }

    /** Unmaps every SuperSlab, in use or cached (allocator close). */
    synchronized void closeAll() {
        lru.clear();
        for (SharedSuperSlab ss : List.copyOf(mapped)) {
            release(ss);
        }
        candidates.clear();
        purgeQueue.clear();
    }

    synchronized int superSlabsMapped() {
        return mapped.size();
    }

    synchronized int lruSize() {
        return lru.size();
    }

    /** Prewarmed SuperSlabs no heap ever took (for the close-time report). */
    synchronized int prewarmedNeverTaken() {
        return lru.prewarmedNeverTaken();
    }

    synchronized boolean inLru(SharedSuperSlab ss) {
        return lru.contains(ss);
    }

    /** The SuperSlab the next {@link #assign} takes a slot from if it does not go to the LRU or map. */
    synchronized SharedSuperSlab nextCandidate() {
        return candidates.isEmpty() ? null : candidates.first();
    }

    synchronized List<SharedSuperSlab> mappedSuperSlabs() {
        return new ArrayList<>(mapped);
    }

    /** Throws {@link IllegalStateException} naming the first broken invariant (see the class comment). */
    synchronized void checkInvariants() {
        for (SharedSuperSlab ss : mapped) {
            int free = 0;
            for (SlabSlot s : ss.slots) {
                if (!s.assigned) {
                    free++;
                }
                if (s.assigned && ss.slabs[s.index] != s.slab) {
                    throw new IllegalStateException(s + " is not its SuperSlab's slab");
                }
            }
            if (free != ss.freeCount) {
                throw new IllegalStateException(ss + " counts " + ss.freeCount + " free slots but has " + free);
            }
            boolean shouldBeCandidate = free > 0 && free < ss.slotCount();
            if (candidates.contains(ss) != shouldBeCandidate) {
                throw new IllegalStateException(ss + (shouldBeCandidate ? " is missing from" : " must not be in") + " the candidates");
            }
            if (lru.contains(ss) != (free == ss.slotCount())) {
                throw new IllegalStateException(ss + (free == ss.slotCount() ? " is empty but not" : " is not empty but") + " in the LRU");
            }
            if (regions.lookup(ss.start) != ss) {
                throw new IllegalStateException(ss + " is not registered");
            }
        }
        if (candidates.size() + lru.size() > mapped.size()) {
            throw new IllegalStateException("candidates or LRU hold unmapped SuperSlabs");
        }
    }
}
