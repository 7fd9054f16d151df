package dev.slabworks.sharedpool;

import dev.slabworks.api.Region;
import dev.slabworks.api.list.IntrusiveList;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.SyscallCause;
import dev.slabworks.api.purge.PurgeDelay;
import dev.slabworks.api.sizeclass.SizeClasses;
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
 * The shared pool in the seed's Phase 12 "SP-SLOT" design: every mapped {@link SharedSuperSlab}, the state of
 * each of its slab slots, per size class the list of EMPTY slots, the LRU of empty SuperSlabs, and the purge
 * queue. All of it is slow-path state behind this object's lock; the allocate and free fast paths never come here.
 *
 * <p><b>Slot states.</b> Each slab position of a SuperSlab ({@link SlabSlot}) is
 * <pre>
 *   UNUSED   no class: never used since its SuperSlab was mapped (or since it emptied whole)
 *   ACTIVE   a slab of class c, owned by one thread's heap
 *   EMPTY    class c gave its slab back; on EMPTY[c]; its SuperSlab still has an ACTIVE slot
 *
 *                    acquire, stage 2                     slab back, SuperSlab still in use
 *        UNUSED ---------------------------&gt; ACTIVE ---------------------------------&gt; EMPTY (on EMPTY[c])
 *          ^                                  ^  ^                                       |  |
 *          |                                  |  '-------- acquire for c, stage 1 -------'  |
 *          |                                  '---- acquire for another class, stage 2 -----|
 *          '--- the SuperSlab's last ACTIVE slot came back: all its slots UNUSED, the -------'
 *               SuperSlab to the LRU (or unmapped: ss.lru.size = 0)
 * </pre>
 *
 * <p><b>Acquire, in three stages</b> ({@link #assign}), each counted in its stats row:
 * <ol>
 *   <li>an EMPTY slot of the class ({@code SLOTS_FROM_EMPTY}): the one it emptied last (warmest pages);</li>
 *   <li>else a free slot of a SuperSlab in use ({@code SLOTS_FROM_UNUSED}): of the one with the fewest free slots
 *       (ties: the lowest address), its lowest UNUSED slot, else its lowest EMPTY slot of another class;</li>
 *   <li>else a slot of a new SuperSlab ({@code SLOTS_FROM_NEW_SUPERSLAB}): the LRU's most recently emptied one
 *       ({@code LRU_HITS}), else a new mapping ({@code LRU_MISSES}).</li>
 * </ol>
 * A SuperSlab is released only when all its slots are free ({@code SUPERSLABS_RELEASED}): to the LRU, which
 * unmaps past {@code ss.lru.size}. Packing into the fullest SuperSlab lets the emptier ones drain; the address
 * tie-break makes the choice deterministic (and tests exact).
 *
 * <p><b>Against the pool before SP-SLOT</b> (fullest first, lowest free slot): stages 2 and 3 are that pool; stage 1
 * is new: a class gets back the slab it emptied before any other free slot, so a class that breathes (its
 * live count going to zero and back, like a size class with two live blocks) reuses its own warm slab instead of
 * taking, and leaving, a slot of whatever SuperSlab is fullest.
 *
 * <p><b>Invariant</b>, checked by {@link #checkInvariants()}: for every mapped SuperSlab,
 * <pre>
 *   freeCount = #UNUSED + #EMPTY;   0 &lt; freeCount &lt; slotCount  &lt;=&gt;  in candidates (ordered by (freeCount, base))
 *   freeCount = slotCount  &lt;=&gt;  in the LRU  &lt;=&gt;  #EMPTY = 0 and #ACTIVE = 0   (EMPTY needs an ACTIVE neighbour)
 *   a slot is on EMPTY[c]  &lt;=&gt;  it is EMPTY and its ghost slab's class is c
 * </pre>
 * and every mapped SuperSlab is registered in the RegionMap; {@code SUPERSLABS} counts them all, in use and in
 * the LRU alike.
 *
 * <p><b>Purging.</b> A slot that comes back free is due for {@code madvise(PURGE_ADVICE)} once it has been free
 * for the purge delay ({@code PURGE_DELAY_MS}, 0: at once, -1: never; lengthened while purges turn out premature,
 * see {@link PurgeDelay}); an EMPTY slot stays EMPTY when purged (its class takes it
 * back with fresh pages). Due purges run lazily, on the pool's slow paths (a slab assigned or returned) and on
 * {@link #purgeDue}, which {@code SharedPoolAllocator.trim()} calls; there is no background thread. LRU'd
 * SuperSlabs are purged the same way, slot by slot, so after a workload has freed everything and the delay has
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
    /** The knob {@code slab.start.shared}: whether {@link #assign} may start a slab shared at all. */
    private final boolean startShared;
    private final PurgeDelay purgeDelay;
    private final Advice advice;
    private final TreeSet<SharedSuperSlab> candidates = new TreeSet<>(FULLEST_FIRST);
    /** Per size class, its EMPTY slots, most recently emptied first. */
    private final IntrusiveList<SlabSlot>[] empty = IntrusiveList.array(SizeClasses.COUNT);
    private final SuperSlabLru<SharedSuperSlab> lru;
    private final ArrayDeque<Due> purgeQueue = new ArrayDeque<>();
    private final Set<SharedSuperSlab> mapped = new LinkedHashSet<>();

    SlabPool(Os os, Stats stats, RegionMap<Region> regions, long superSlabSize, long slabSize, boolean startShared,
             int lruSize, long purgeDelayMs, long purgeDelayMaxMs, Advice advice) {
        this.os = os;
        this.startShared = startShared;
        this.stats = stats;
        this.regions = regions;
        this.superSlabSize = superSlabSize;
        this.slabSize = slabSize;
        this.purgeDelay = new PurgeDelay(purgeDelayMs, purgeDelayMaxMs);
        this.advice = advice;
        this.lru = new SuperSlabLru<>(lruSize);
    }

    long slabSize() {
        return slabSize;
    }

    /**
     * Maps up to {@code count} SuperSlabs into the LRU ahead of demand, never more than it holds (a prewarmed
     * SuperSlab past it would only wait to be unmapped); returns how many.
     */
    synchronized int prewarm(int count, ThreadStats st) {
        int n = Math.min(count, lru.capacity());
        lru.prewarm(n, () -> mapNew(SyscallCause.PREWARM), st);
        return n;
    }

    /**
     * A slot chosen by the three-stage acquire (class comment), made ACTIVE for {@code cls} and {@code owner}, its slab
     * {@link Slab#isShared shared} from the start when {@code shared} or when another thread freed into the slot's last
     * slab ({@link Slab#freedRemotely}), unless the knob {@code slab.start.shared} is off.
     */
    synchronized SlabSlot assign(int cls, Object owner, boolean shared, ThreadStats st) {
        SlabSlot slot = empty[cls].first();
        SharedSuperSlab ss;
        if (slot != null) {
            ss = slot.superSlab;
            candidates.remove(ss); // before freeCount changes: it orders the set
            unlinkEmpty(slot);
            st.increment(Stat.SLOTS_FROM_EMPTY);
        } else if ((ss = candidates.pollFirst()) != null) {
            slot = ss.slots[ss.lowestFreeSlot()];
            if (slot.state == SlabSlot.EMPTY) {
                unlinkEmpty(slot);
            }
            st.increment(Stat.SLOTS_FROM_UNUSED);
        } else {
            ss = lru.take(st);
            if (ss == null) {
                ss = mapNew(SyscallCause.SUPERSLAB_MAP);
            }
            slot = ss.slots[ss.lowestFreeSlot()];
            st.increment(Stat.SLOTS_FROM_NEW_SUPERSLAB);
        }
        long now = System.nanoTime();
        if (slot.purged && purgeDelay.takenBack(slot.purgedAt, now)) {
            st.increment(Stat.PURGES_PREMATURE);
        }
        slot.state = SlabSlot.ACTIVE;
        slot.generation++;
        ss.freeCount--;
        if (ss.freeCount > 0) {
            candidates.add(ss);
        }
        boolean share = Slab.startsShared(startShared, shared, slot.slab);
        Slab slab = new Slab(ss.slabBase(slot.index), slabSize, cls, share);
        slab.owner = owner;
        slot.slab = slab;
        ss.slabs[slot.index] = slab;
        st.increment(Stat.SLABS_ASSIGNED);
        purgeDue(now, st);
        return slot;
    }

    /**
     * Takes back an empty slab: its slot becomes EMPTY for its class, or, when it was its SuperSlab's last
     * ACTIVE slot, every slot of that SuperSlab becomes UNUSED and the SuperSlab goes to the LRU.
     */
    synchronized void giveBack(SlabSlot slot, ThreadStats st) {
        if (slot.state != SlabSlot.ACTIVE || !slot.slab.isEmpty()) {
            throw new IllegalStateException("giving back " + slot);
        }
        SharedSuperSlab ss = slot.superSlab;
        slot.slab.owner = null; // the slab stays as a ghost: a late free of one of its blocks is DOUBLE_FREE
        slot.generation++;
        long now = System.nanoTime();
        slot.freeSince = now;
        slot.purged = false;
        candidates.remove(ss);
        ss.freeCount++;
        st.increment(Stat.SLABS_RETURNED);
        if (ss.freeCount == ss.slotCount()) {
            for (SlabSlot s : ss.slots) {
                if (s.state == SlabSlot.EMPTY) {
                    unlinkEmpty(s);
                }
                s.state = SlabSlot.UNUSED;
            }
            st.increment(Stat.SUPERSLABS_RELEASED);
            for (SharedSuperSlab evicted : lru.put(ss, st)) {
                release(evicted, SyscallCause.LRU_EVICTION);
            }
        } else {
            slot.state = SlabSlot.EMPTY;
            pushEmpty(slot);
            candidates.add(ss);
        }
        if (purgeDelay.nanos() == 0) {
            if (purgeable(slot) && !purge(slot, now, st)) {
                purgeQueue.addLast(new Due(slot, slot.generation, now)); // refused: the next pass tries again
            }
        } else if (!purgeDelay.never()) {
            purgeQueue.addLast(new Due(slot, slot.generation, now));
        }
        purgeDue(now, st);
    }

    /** Puts an EMPTY slot at the head of its class's EMPTY list (taken first: the warmest). */
    private void pushEmpty(SlabSlot slot) {
        empty[slot.slab.sizeClass()].addFirst(slot.emptyLink);
    }

    private void unlinkEmpty(SlabSlot slot) {
        empty[slot.slab.sizeClass()].remove(slot.emptyLink);
    }

    /**
     * Purges every free slot whose delay has passed by {@code now}; returns how many. A purge the kernel refuses
     * ends the pass: that slot stays first in the queue, and the next pass (the next slab assigned or returned,
     * or {@code trim()}) tries it again.
     */
    synchronized int purgeDue(long now, ThreadStats st) {
        purgeDelay.relax(now);
        int n = 0;
        Due d;
        while ((d = purgeQueue.peekFirst()) != null && purgeDelay.due(d.freeSince, now)) {
            if (d.generation == d.slot.generation && purgeable(d.slot)) {
                if (!purge(d.slot, now, st)) {
                    break;
                }
                n++;
            }
            purgeQueue.pollFirst();
        }
        return n;
    }

    /** Free (UNUSED or EMPTY), not purged since it came back, and its SuperSlab still mapped. */
    private static boolean purgeable(SlabSlot slot) {
        return slot.state != SlabSlot.ACTIVE && !slot.purged && slot.superSlab.mapped;
    }

    /** {@code madvise} of a {@link #purgeable} slot's slab; false if the kernel refused (the slot is as it was). */
    private boolean purge(SlabSlot slot, long now, ThreadStats st) {
        if (!os.advise(slot.superSlab.slabBase(slot.index), slabSize, advice, SyscallCause.PURGE)) {
            return false;
        }
        slot.purged = true;
        slot.purgedAt = now;
        st.increment(Stat.SLABS_PURGED);
        return true;
    }

    private SharedSuperSlab mapNew(SyscallCause cause) {
        Mapping m = os.mapAligned(superSlabSize, superSlabSize, cause);
        SharedSuperSlab ss;
        try {
            ss = new SharedSuperSlab(m, slabSize);
            regions.register(ss);
        } catch (Throwable t) { // e.g. no Java heap left for the descriptor or the map's leaves: no leaked mapping
            os.unmap(m, cause);
            throw t;
        }
        mapped.add(ss);
        stats.gaugeAdd(Stat.SUPERSLABS, 1);
        return ss;
    }

    private void release(SharedSuperSlab ss, SyscallCause cause) {
        ss.mapped = false;
        regions.unregister(ss);
        mapped.remove(ss);
        ss.invalidateViews();
        os.unmap(ss.mapping(), cause);
        stats.gaugeAdd(Stat.SUPERSLABS, -1);
    }

    /** Unmaps every SuperSlab, in use or cached (allocator close). */
    synchronized void closeAll() {
        lru.clear(); // every one of them is in mapped too: released below, as close's
        for (SharedSuperSlab ss : List.copyOf(mapped)) {
            release(ss, SyscallCause.CLOSE);
        }
        candidates.clear();
        for (IntrusiveList<SlabSlot> list : empty) {
            list.clear();
        }
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
        java.util.Set<SlabSlot> onLists = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int c = 0; c < empty.length; c++) {
            for (SlabSlot s = empty[c].first(); s != null; s = s.emptyLink.next()) {
                if (s.state != SlabSlot.EMPTY || s.slab.sizeClass() != c || !onLists.add(s)) {
                    throw new IllegalStateException(s + " must not be on EMPTY[" + c + "] (or is on it twice)");
                }
            }
        }
        for (SharedSuperSlab ss : mapped) {
            int free = 0;
            int empty = 0;
            for (SlabSlot s : ss.slots) {
                if (s.state != SlabSlot.ACTIVE) {
                    free++;
                }
                if (s.state == SlabSlot.EMPTY) {
                    empty++;
                    if (!onLists.contains(s)) {
                        throw new IllegalStateException(s + " is EMPTY but on no EMPTY list");
                    }
                }
                if (s.state == SlabSlot.ACTIVE && ss.slabs[s.index] != s.slab) {
                    throw new IllegalStateException(s + " is not its SuperSlab's slab");
                }
            }
            if (empty > 0 && free == ss.slotCount()) {
                throw new IllegalStateException(ss + " has EMPTY slots but no ACTIVE one");
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
