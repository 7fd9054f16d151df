package dev.slabworks.superslab;

import dev.slabworks.api.Region;
import dev.slabworks.api.direct.DirectFront;
import dev.slabworks.api.front.FrontCache;
import dev.slabworks.api.front.FrontCacheSpares;
import dev.slabworks.api.heap.OwnedHeap;
import dev.slabworks.api.heap.ThreadHeapRegistry;
import dev.slabworks.api.list.IntrusiveList;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.MincoreCache;
import dev.slabworks.api.validate.RegionMap;

/**
 * One thread's heap: the SuperSlabs it formatted (it owns them: only it allocates from them and frees
 * locally into them), its front cache, its stats and its mincore cache.
 *
 * <p>Per size class, an owned SuperSlab is in exactly one of three places:
 * <pre>
 *   current[cls]   the one allocations and refills take from (kept even when it empties)
 *   partial[cls]   has locally free blocks                      (refill takes from here next)
 *   full[cls]      exhausted locally; may receive remote frees  (scanned for remote frees last)
 * </pre>
 * A free (or a front-cache flush) that leaves a non-current SuperSlab empty hands it to the
 * {@link SuperSlabPool} at once (LRU, or unmap when the LRU size is 0: the seed's behaviour); one into a full
 * one moves it to partial. The current one is kept when it empties: releasing it made a class whose live
 * count touches 0 (a 16-byte class on random-mixed has about 2 live blocks) re-take and re-format a
 * SuperSlab on every allocation, 35 ns per allocate+free instead of 17 in a ring benchmark. Blocks held by the front
 * cache count as used, so a SuperSlab with blocks in a front cache is never released.
 *
 * <p>With {@code ss.reuse.partial = false} (the seed's policy) a heap never goes back to a non-current
 * SuperSlab: when the current one is dry it takes a new one, and the old ones only wait to empty and be
 * released. That is what turns a steady workload into SuperSlab churn when the LRU is off.
 * Remote frees into such a non-current SuperSlab are collected only by {@link #trim} (else it is released
 * at close).
 *
 * <p>Threads: everything here is the owner thread's. Other threads touch an owned slab only through
 * {@link Slab#freeRemote}, or, holding its blocks in their front caches ({@code fc.remote}), through
 * {@link Slab#claimFree}, {@link Slab#markAllocatedAt} and {@link Slab#returnHeld}; the owner takes the remote
 * stack when its current slab runs dry or it makes a full one current ({@link Slab#takeRemote}), and collects it
 * at {@link #trim}. A live thread that holds another heap's blocks and goes idle keeps that heap's SuperSlab from
 * emptying (at most {@code fc.remote} blocks per class) until it allocates them, or trims, or, once it has ended,
 * until a live thread reclaims its heap: as with glibc's tcache, no other thread's {@code trim()} reaches them.
 *
 * <p>A heap whose thread has ended is reclaimed by a live thread ({@link #handOverTo}, through the
 * {@link ThreadHeapRegistry}, where every heap is registered): its front cache goes back into its slabs, remote
 * frees are collected, empty SuperSlabs go to the pool (LRU, which unmaps past its room) and the others
 * are adopted by the live thread's heap ({@link #adopt}), which from then on frees into them locally, collects
 * their remote frees and releases them when they empty. This happens
 * <ul>
 *   <li>in the allocator's {@code trim()} (the caller's heap adopts), which also trims the caller's own heap
 *       ({@link #trim}): front cache drained, remote frees collected, every empty SuperSlab (the current ones
 *       too) released;</li>
 *   <li>without anyone asking, on the slow path where a heap is about to take a SuperSlab from the pool:
 *       when a heap was registered since the last scan (threads come and go) or at a heap's every
 *       {@value ThreadHeapRegistry#SCAN_EVERY}-th such take. So thread churn does not grow the mapped memory
 *       without bound even if nobody calls {@code trim()}.</li>
 * </ul>
 * Heaps of threads that are alive but idle keep their current SuperSlabs and front cache until their own
 * thread calls {@code trim()} (or the allocator closes).
 *
 * <p>Why a change of owner is safe for remote freers: a thread compares {@code slab.owner} with its OWN
 * heap only. The owner of a slab changes only (a) at {@code format}, (b) when a live thread adopts it
 * from a dead heap, and (c) to null when its owner releases it; each write is made by the thread whose heap
 * becomes (or stops being) the owner. So a thread reads {@code owner == myHeap} exactly when its heap owns
 * the slab now (it made the write itself, in program order, and no other thread can take the slab from a
 * live heap); any stale value it might read racily (the dead heap, null) is not its heap and sends the
 * block down the remote path. The remote stack belongs to the slab, not the heap, so a block pushed just
 * before, during or after a change of owner is collected by whoever owns the slab at the next collect;
 * until then it counts in {@code used}, so the slab is never released with it inside.
 */
final class ThreadHeap extends OwnedHeap implements FrontCache.Backend {
    final ThreadStats stats;
    final MincoreCache mincore;
    /** The mid path's per-thread cache (its MINCORE_CACHED mode); null without a mid path. */
    final MincoreCache midCache;
    /** This thread's own freed direct mapping; null with fronts off. */
    final DirectFront directFront;
    final FrontCache front;
    /** {@code current[cls].slab()}, cached for the fast path; null when the class has no SuperSlab yet. */
    final Slab[] currentSlab = new Slab[SizeClasses.COUNT];
    private final SuperSlab[] current = new SuperSlab[SizeClasses.COUNT];
    private final IntrusiveList<SuperSlab>[] partial = IntrusiveList.array(SizeClasses.COUNT);
    private final IntrusiveList<SuperSlab>[] full = IntrusiveList.array(SizeClasses.COUNT);
    private final SuperSlabPool pool;
    private final RegionMap<Region> regions;
    private final ThreadHeapRegistry<ThreadHeap> registry;
    /** Where the front caches of the heaps this one reclaims go, for the next new heaps. */
    private final FrontCacheSpares spares;
    /** SuperSlabs taken from the pool, for {@link ThreadHeapRegistry#scanDue}. */
    private int acquires;
    private static final int OWN_ENTRIES = 64;
    private static final int OWN_MASK = OWN_ENTRIES - 1;
    private final long[] ownKeys = new long[OWN_ENTRIES];
    private final SuperSlab[] ownSuperSlabs = new SuperSlab[OWN_ENTRIES];
    private final Slab[] ownSlabs = new Slab[OWN_ENTRIES];
    private final int ssShift;
    private final boolean reusePartial;
    private final boolean debugChecks;

    ThreadHeap(ThreadStats stats, MincoreCache mincore, MincoreCache midCache, DirectFront directFront,
               FrontCache front, SuperSlabPool pool, RegionMap<Region> regions, ThreadHeapRegistry<ThreadHeap> registry,
               FrontCacheSpares spares, boolean reusePartial, boolean debugChecks) {
        super(Thread.currentThread(), registry.endedHeapsFreedInto()); // new SuperSlabs start shared on that hint
        this.reusePartial = reusePartial;
        this.ssShift = Long.numberOfTrailingZeros(pool.ssSize());
        this.stats = stats;
        this.mincore = mincore;
        this.midCache = midCache;
        this.directFront = directFront;
        this.front = front;
        this.pool = pool;
        this.regions = regions;
        this.registry = registry;
        this.spares = spares;
        this.debugChecks = debugChecks;
    }

    /**
     * The SuperSlab this heap owns whose mapping contains {@code address}, or null: a direct-mapped table
     * of this heap's own SuperSlabs by aligned base, kept exact (entered when the heap formats one, removed
     * before it releases one), so a hit is a SuperSlab mapped now. Java-heap only, like the RegionMap.
     */
    SuperSlab ownSuperSlab(long address) {
        long key = (address >>> ssShift) + 1;
        int i = (int) key & OWN_MASK;
        return ownKeys[i] == key ? ownSuperSlabs[i] : null;
    }

    /** The slab of {@link #ownSuperSlab}, one load shorter (the table keeps it beside the SuperSlab). */
    Slab ownSlab(long address) {
        long key = (address >>> ssShift) + 1;
        int i = (int) key & OWN_MASK;
        return ownKeys[i] == key ? ownSlabs[i] : null;
    }

    private void rememberOwn(SuperSlab ss) {
        long key = (ss.base() >>> ssShift) + 1;
        int i = (int) key & OWN_MASK;
        ownKeys[i] = key;
        ownSuperSlabs[i] = ss;
        ownSlabs[i] = ss.slab(); // a SuperSlab is re-formatted only after it left this heap (forgetOwn)
    }

    private void forgetOwn(SuperSlab ss) {
        long key = (ss.base() >>> ssShift) + 1;
        int i = (int) key & OWN_MASK;
        if (ownKeys[i] == key) {
            ownKeys[i] = 0;
            ownSuperSlabs[i] = null;
            ownSlabs[i] = null;
        }
    }

    /**
     * The slab of a block this heap's front cache holds: the class's current slab if the address lies in it
     * (every time with 2 MiB SuperSlabs on random-mixed), else the own-SuperSlab table, else the RegionMap (a
     * table collision, or another heap's block held with {@code fc.remote}). Null only once {@code close()} has
     * unregistered the SuperSlab: a held block keeps it mapped until then, and a front-cache hit runs without a
     * frame, so close does not wait for it.
     */
    Slab slabOf(int cls, long address) {
        Slab s = currentSlab[cls];
        if (s != null && s.contains(address)) {
            return s;
        }
        SuperSlab ss = ownSuperSlab(address);
        if (ss == null) {
            ss = (SuperSlab) regions.lookup(address);
        }
        return ss == null ? null : ss.slab();
    }

    /** Slow path of a front-less allocation: the current slab of {@code cls} is dry or missing. */
    long allocateSlow(int cls) {
        stats.sampleLive();
        return nextSlab(cls).allocate();
    }

    // ---------------------------------------------------------------- FrontCache.Backend

    @Override
    public int refill(int cls, long[] into, int offset, int max) {
        Slab s = currentSlab[cls];
        int got = s == null ? 0 : s.take(into, offset, max);
        if (got == 0) {
            s = nextSlab(cls);
            got = s.take(into, offset, max);
        }
        if (debugChecks) {
            s.checkInvariants();
        }
        return got;
    }

    /**
     * Gives blocks the front cache held back to their slabs: this heap's into the slab's free list, another heap's
     * (a remote free with {@code fc.remote}) onto the slab's remote stack, one chain and one CAS per run of blocks of
     * one slab. A held block keeps its SuperSlab mapped, so the RegionMap finds it.
     */
    @Override
    public void flush(int cls, long[] from, int offset, int count) {
        int end = offset + count;
        for (int i = offset; i < end; ) {
            long p = from[i];
            SuperSlab ss = (SuperSlab) regions.lookup(p);
            Slab s = ss.slab();
            if (s.owner == this) {
                s.giveBack(p);
                afterLocalFree(ss, s);
                i++;
                continue;
            }
            i = s.returnHeld(from, i, end);
        }
    }

    // ---------------------------------------------------------------- slab lists

    /**
     * After a block of an owned SuperSlab came back locally: release it if it emptied, or move it from
     * full to partial.
     */
    void afterLocalFree(SuperSlab ss, Slab s) {
        if (debugChecks) {
            s.checkInvariants(); // before a release: it walks the free list in the mapping
        }
        if (s == currentSlab[s.sizeClass()]) {
            return; // kept even when empty: the class's next allocation would take a SuperSlab right back
        }
        if (s.isEmpty()) {
            release(ss);
        } else if (ss.heapLink.list() == full[s.sizeClass()] && reusePartial) {
            full[s.sizeClass()].remove(ss.heapLink);
            partial[s.sizeClass()].addFirst(ss.heapLink);
        }
    }

    /** {@link #afterLocalFree} when only the slab is at hand: the SuperSlab is looked up off the fast path. */
    void afterLocalFree(Slab s) {
        if (s != currentSlab[s.sizeClass()]) {
            SuperSlab ss = ownSuperSlab(s.base());
            afterLocalFree(ss != null ? ss : (SuperSlab) regions.lookup(s.base()), s);
        } else if (debugChecks) {
            s.checkInvariants();
        }
    }

    /** Drops an empty non-current SuperSlab from this heap's lists and hands it to the pool. */
    private void release(SuperSlab ss) {
        ss.heapLink.list().remove(ss.heapLink);
        releaseOffList(ss);
    }

    /** Hands a SuperSlab on no list (or just taken off one) to the pool; its slab is all FREE. */
    private void releaseOffList(SuperSlab ss) {
        forgetOwn(ss);
        ss.slab().owner = null; // no thread's heap: a late free of it takes the remote path and is rejected
        pool.release(ss, stats);
    }

    /**
     * A slab of {@code cls} with a free block, made current: the current one's remote frees (taken), then partial,
     * full (taken), the SuperSlabs of dead heaps (when a scan is due), the pool.
     */
    private Slab nextSlab(int cls) {
        SuperSlab cur = current[cls];
        if (cur != null) {
            Slab s = cur.slab();
            if (!s.isExhausted()) {
                return s;
            }
            if (s.hasRemote() && s.takeRemote()) {
                return s;
            }
            // not current any more before anything can throw: a heap is always consistent (see handOverTo)
            current[cls] = null;
            currentSlab[cls] = null;
            full[cls].addFirst(cur.heapLink);
        }
        SuperSlab next = reusePartial ? reusable(cls) : null;
        if (next == null && registry.scanDue(++acquires)) {
            reclaimDeadHeaps();
            next = reusePartial ? reusable(cls) : null;
        }
        if (next == null) {
            next = pool.acquire(cls, this, expectsRemoteFrees(), stats);
            rememberOwn(next);
        }
        current[cls] = next;
        currentSlab[cls] = next.slab();
        return next.slab();
    }

    /** A partial SuperSlab of {@code cls}, or a full one that remote frees refilled, off its list; or null. */
    private SuperSlab reusable(int cls) {
        SuperSlab next = partial[cls].pollFirst();
        return next != null ? next : collectFromFull(cls);
    }

    /**
     * The first full SuperSlab of {@code cls} that remote frees refilled, off its list, their chain taken and not
     * walked (it becomes current: even if they emptied it, it is reused rather than released); or null.
     */
    private SuperSlab collectFromFull(int cls) {
        for (SuperSlab ss = full[cls].first(); ss != null; ss = ss.heapLink.next()) {
            Slab s = ss.slab();
            if (s.hasRemote() && s.takeRemote()) {
                full[cls].remove(ss.heapLink);
                return ss;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- trim, thread exit

    /**
     * Gives back what this heap holds and does not use (owner thread only): the front cache goes back into
     * the slabs, every SuperSlab collects its remote frees, and every empty one (the current ones too) goes
     * to the pool. Live blocks stay where they are.
     */
    void trim() {
        front.drain(this, stats);
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            SuperSlab cur = current[c];
            if (cur != null) {
                Slab s = cur.slab();
                collect(s);
                if (s.isEmpty()) {
                    current[c] = null;
                    currentSlab[c] = null;
                    releaseOffList(cur);
                }
            }
            trimList(partial[c]);
            trimList(full[c]);
        }
    }

    private void trimList(IntrusiveList<SuperSlab> list) {
        SuperSlab next;
        for (SuperSlab ss = list.first(); ss != null; ss = next) {
            next = ss.heapLink.next();
            Slab s = ss.slab();
            collect(s);
            if (s.isEmpty()) {
                release(ss);
            } else if (reusePartial && list == full[s.sizeClass()] && !s.isExhausted()) {
                list.remove(ss.heapLink);
                partial[s.sizeClass()].addFirst(ss.heapLink);
            }
        }
    }

    private static void collect(Slab s) {
        if (s.hasRemote()) {
            s.collectRemote();
        }
    }

    /** Reclaims the heaps of every thread that has ended into this heap, which must be the calling thread's. */
    void reclaimDeadHeaps() {
        for (ThreadHeap dead : registry.takeDead()) {
            registry.noteReclaimed(dead.freedInto());
            dead.handOverTo(this);
            DirectFront.giveBack(dead.directFront);
            dead.stats.retire(); // nothing writes its row any more
            spares.give(dead.front); // drained, and nobody uses the dead heap again
        }
    }

    /**
     * Reclaims this heap, whose thread has ended, into {@code adopter}, the calling thread's heap: the front
     * cache's blocks go back into their slabs, remote frees are collected, empty SuperSlabs go to the pool,
     * the others move to {@code adopter}. Afterwards this heap owns nothing. The caller took this heap out of
     * the {@link ThreadHeapRegistry} (so nobody else reclaims it) after seeing its thread ended (happens-before).
     * This heap's own stats row keeps counting what its SuperSlabs do here: no other thread writes it now.
     */
    void handOverTo(ThreadHeap adopter) {
        front.drain(this, stats);
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            SuperSlab cur = current[c];
            current[c] = null;
            currentSlab[c] = null;
            if (cur != null && !cur.heapLink.isLinked()) { // on a list already if its thread stopped inside nextSlab
                handOver(cur, adopter);
            }
            SuperSlab ss;
            while ((ss = partial[c].pollFirst()) != null) {
                handOver(ss, adopter);
            }
            while ((ss = full[c].pollFirst()) != null) {
                handOver(ss, adopter);
            }
        }
    }

    private void handOver(SuperSlab ss, ThreadHeap adopter) {
        Slab s = ss.slab();
        collect(s);
        if (s.isEmpty()) {
            releaseOffList(ss);
        } else {
            forgetOwn(ss);
            adopter.adopt(ss, s);
        }
    }

    /** Takes over a non-empty SuperSlab of a dead heap (calling thread = this heap's thread). */
    private void adopt(SuperSlab ss, Slab s) {
        s.owner = this; // read racily by remote freers: see the class comment
        ss.adopted = true;
        rememberOwn(ss);
        if (reusePartial && !s.isExhausted()) {
            partial[s.sizeClass()].addFirst(ss.heapLink);
        } else {
            full[s.sizeClass()].addFirst(ss.heapLink);
        }
    }

    /** SuperSlabs this heap owns now (current, partial and full). */
    int ownedSuperSlabs() {
        int n = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            n += (current[c] != null ? 1 : 0) + partial[c].size() + full[c].size();
        }
        return n;
    }
}
