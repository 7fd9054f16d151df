package dev.slabworks.sharedpool;

import dev.slabworks.api.direct.DirectFront;
import dev.slabworks.api.front.FrontCache;
import dev.slabworks.api.front.FrontCacheSpares;
import dev.slabworks.api.heap.OwnedHeap;
import dev.slabworks.api.heap.PaddedCell;
import dev.slabworks.api.heap.ThreadHeapRegistry;
import dev.slabworks.api.list.IntrusiveList;
import dev.slabworks.api.os.OutOfNativeMemoryError;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.MincoreCache;
import dev.slabworks.api.validate.RegionMap;

/**
 * One thread's heap: its stats, its mincore cache, its front cache, and per size class the slabs it
 * owns, in three places:
 * <pre>
 *   current[c]      the slab blocks of class c come from (refills take from it); kept even if empty
 *   partial list c  owned slabs with a free block, not current; returned to the pool when empty
 *   full list c     owned slabs that were exhausted when they stopped being current
 * </pre>
 * A local free into a FULL slab moves it to PARTIAL; a PARTIAL slab whose last block comes back is
 * given back to the pool at once. Remote frees land in a slab's remote stack (see {@link Slab}) and
 * raise {@link #remotePending}. When its current slab runs dry the owner takes that slab's remote stack, unwalked
 * ({@link Slab#takeRemote}); if it held nothing, and at {@code trim()}, it collects the flagged frees, scanning its
 * slabs once. A remote freer may hold the block
 * in its own front cache first ({@code fc.remote}, {@link #freeHeld}); it reaches the remote stack, and raises
 * the flag, when that cache gives it back ({@link #flush}). A live thread that holds another heap's blocks and
 * goes idle keeps their slabs from emptying (at most {@code fc.remote} blocks per class) until it allocates
 * them, or trims, or, once it has ended, until a live thread reclaims its heap: as with glibc's tcache, no other
 * thread's {@code trim()} reaches them.
 *
 * <p>Everything here belongs to the owning thread except {@link #remotePending}.
 *
 * <p><b>Threads that end</b>: see {@link HeapHandOver}, which reclaims the heap of an ended thread into a live
 * one and says why a change of owner is safe for remote freers.
 */
final class ThreadHeap extends OwnedHeap implements FrontCache.Backend {
    final ThreadStats stats;
    final MincoreCache mincore;
    /** The mid path's per-thread cache (its MINCORE_CACHED mode); null without a mid path. */
    final MincoreCache midCache;
    /** This thread's own freed direct mapping; null with fronts off. */
    final DirectFront directFront;
    final FrontCache front;
    final boolean frontOn;
    /**
     * {@code fc.remote}: a free of another heap's block goes into this heap's front cache (see {@link #freeHeld})
     * while its class holds fewer blocks there than this (0: never).
     */
    private final int holdRemote;
    /**
     * Non-zero once a thread freed a block into one of this heap's slabs: raised by remote freers, cleared by
     * the owner before it collects. Alone on its cache line (see {@link PaddedCell}), so raising it does not
     * evict the owner's fields.
     */
    private final int[] remotePending = PaddedCell.ints();

    private final SlabPool pool;
    private final RegionMap<?> regions;
    private final long superSlabSize;
    final ThreadHeapRegistry<ThreadHeap> registry;
    /** Where the front caches of the heaps this one reclaims go, for the next new heaps. */
    final FrontCacheSpares spares;
    private final boolean debug;
    /** Slabs this heap asked the pool for, for {@link ThreadHeapRegistry#scanDue}. */
    private int acquires;
    final SlabSlot[] current = new SlabSlot[SizeClasses.COUNT];
    final IntrusiveList<SlabSlot>[] partial = IntrusiveList.array(SizeClasses.COUNT);
    final IntrusiveList<SlabSlot>[] full = IntrusiveList.array(SizeClasses.COUNT);
    /**
     * The SuperSlabs this heap took blocks from lately, direct-mapped by {@code (base >>> ssShift) mod KNOWN}, so
     * finding the slot of an own block (one the front cache gives out whose slab a colliding one displaced from the
     * own-slab table, a flush, a free without the front cache) is a range check, a shift, two loads and an owner
     * check whatever its class (no per-class guess: blocks of one class come from several slabs in random order,
     * and a mispredicted guess costs more than the look-up).
     * A miss asks the RegionMap. Exact for the blocks this heap owns: an entry is written on every slab the pool
     * assigns or this heap adopts and on RegionMap answers for own blocks, so after a SuperSlab is unmapped and a
     * new one is mapped at the same address, this heap owns a block there only after its entry was pointed at the
     * new one. (Another heap's blocks held with {@code fc.remote} fail the owner check and are found in the
     * RegionMap: {@link #slotOf}.) Empty entries have base -1, in whose range no address lies.
     */
    private static final int KNOWN = 16;
    private final long[] knownBase = new long[KNOWN];
    private final SharedSuperSlab[] knownSuperSlabs = new SharedSuperSlab[KNOWN];
    private final int ssShift;
    /**
     * Slabs this heap owns, direct-mapped by slab number ({@code address >>> slabShift}) mod {@code OWN_SLABS}:
     * {@link #ownSlab}. With the default 64 KiB slabs, 256 entries cover 16 MiB of consecutive slabs without a
     * collision; colliding slabs take turns, the other one's frees going through the RegionMap. Empty entries hold null.
     */
    private static final int OWN_SLABS = 256;
    private final long[] ownSlabKeys = new long[OWN_SLABS];
    private final Slab[] ownSlabs = new Slab[OWN_SLABS];
    /** log2 of the slab size, the same in every SuperSlab. */
    private final int slabShift;

    ThreadHeap(SlabPool pool, RegionMap<?> regions, ThreadHeapRegistry<ThreadHeap> registry, FrontCacheSpares spares,
               long superSlabSize, ThreadStats stats, MincoreCache mincore, MincoreCache midCache,
               DirectFront directFront, FrontCache front, boolean frontOn, int holdRemote, boolean debug) {
        super(Thread.currentThread(), registry.endedHeapsFreedInto()); // new slabs start shared on that hint
        this.pool = pool;
        this.registry = registry;
        this.spares = spares;
        this.regions = regions;
        this.superSlabSize = superSlabSize;
        this.stats = stats;
        this.mincore = mincore;
        this.midCache = midCache;
        this.directFront = directFront;
        this.front = front;
        this.frontOn = frontOn;
        this.holdRemote = holdRemote;
        this.debug = debug;
        this.slabShift = Long.numberOfTrailingZeros(pool.slabSize());
        this.ssShift = Long.numberOfTrailingZeros(superSlabSize);
        java.util.Arrays.fill(knownBase, -1L);
    }

    // ------------------------------------------------------------------ fast paths

    /**
     * A block of {@code cls} from the front cache, or 0 on a miss or with the front cache off (Java arrays only),
     * or when the block is in neither of this heap's tables (held, or displaced) and {@code close()} has unregistered
     * its SuperSlab under this frameless call ({@link #cachedSlab}): then the caller's frame reports the closed
     * allocator. (A block found in a table completes, as a hit completing just before close would.)
     */
    long allocateHit(int cls) {
        long p = frontOn ? front.popHit(cls) : 0;
        if (p != 0) {
            Slab slab = cachedSlab(p);
            if (slab == null) {
                return 0;
            }
            stats.allocatedBlockFrontHit(cls);
            slab.markAllocatedAt(p);
        }
        return p;
    }

    long allocate(int cls) {
        long p;
        if (frontOn) {
            p = front.popHit(cls);
            if (p != 0) {
                stats.allocatedBlockFrontHit(cls);
            } else {
                p = front.popMiss(cls, this, stats);
                if (p == 0) {
                    throw new OutOfNativeMemoryError("no block of class " + cls);
                }
                stats.allocatedBlock(cls);
            }
            cachedSlab(p).markAllocatedAt(p); // inside the frame: close has not unregistered anything
        } else {
            p = allocateFromSlab(cls);
            stats.allocatedBlock(cls);
        }
        return p;
    }

    /**
     * The slab of a block the front cache gave out: the table of own slabs, else (another heap's block held with
     * {@code fc.remote}, or an own slab whose entry a colliding one took) {@link #slotOrNull}: the table of known
     * SuperSlabs, then the RegionMap; null only once {@code close()} has unregistered its SuperSlab. Looking it up
     * costs less than keeping it beside each cached block: with a second array of slabs (a reference store on every
     * free, a load on every allocation) shared-pool read about 5 % slower on random-mixed (c) and on larson
     * (benchmarks/measured/README.md, "The process spread, the remote-free link, the front cache without slabs").
     */
    private Slab cachedSlab(long p) {
        Slab own = ownSlab(p);
        if (own != null) {
            return own;
        }
        SlabSlot s = slotOrNull(p);
        return s == null ? null : s.slab;
    }

    /** Owner free of a block of {@code slab} that the caller claimed ({@link Slab#claimFree}). */
    void freeOwn(Slab slab, long address) {
        stats.freedBlock(slab.sizeClass());
        if (frontOn) {
            front.push(slab.sizeClass(), address, this, stats);
        } else {
            slab.giveBack(address);
            afterLocalFree(slotOf(address));
        }
    }

    /** Whether this heap keeps a block of {@code slab}, another heap's, that it frees ({@link Slab#mayBeHeld}). */
    boolean holds(Slab slab) {
        return slab.mayBeHeld(front.count(slab.sizeClass()), holdRemote);
    }

    /**
     * A free of a block of {@code slab}, another heap's, that the caller claimed FREE ({@link Slab#claimFree}): this
     * heap's front cache holds it, hands it out again (its slab found by {@link #slotOf}), and gives it back to its
     * slab with {@link #flush}. The table of known SuperSlabs is left to this heap's own (see {@link #slotOf}).
     */
    void freeHeld(Slab slab, long address) {
        stats.freedBlock(slab.sizeClass());
        front.push(slab.sizeClass(), address, this, stats);
    }

    /**
     * The slot of a block this heap owns or its front cache holds (another heap's, {@code fc.remote}): the table of
     * known SuperSlabs when it names a slab this heap owns (exact, see {@link #knownBase}), else the RegionMap,
     * which is exact too, since an owned or held block keeps its SuperSlab mapped. Only an own SuperSlab enters the
     * table.
     */
    private SlabSlot slotOf(long p) {
        return java.util.Objects.requireNonNull(slotOrNull(p), "no SuperSlab holds a block this heap keeps");
    }

    /** {@link #slotOf}, or null once {@code close()} has unregistered the block's SuperSlab. */
    private SlabSlot slotOrNull(long p) {
        int i = (int) (p >>> ssShift) & (KNOWN - 1);
        long off = p - knownBase[i];
        if (Long.compareUnsigned(off, superSlabSize) < 0) {
            SlabSlot s = knownSuperSlabs[i].slots[(int) (off >>> slabShift)];
            if (s.slab != null && s.slab.owner == this) {
                return s;
            }
        }
        if (!(regions.lookup(p) instanceof SharedSuperSlab ss)) {
            return null;
        }
        SlabSlot s = ss.slots[(int) ((p - ss.start) >>> slabShift)];
        if (s.slab != null && s.slab.owner == this) {
            rememberSuperSlab(ss);
        }
        return s;
    }

    /**
     * The slab of {@code address} if this heap owns it and it is in {@link #ownSlabs}, else null: free's short
     * cut past the RegionMap. Two independent loads and a compare: an entry is written only for a slab this heap
     * owns ({@link #rememberSlab}) and cleared before the slab leaves it ({@link #returnToPool}), so it needs no
     * owner check and no range check (slabs are aligned to their size, so an address's slab number is its shift).
     * A slab of an ended heap's, which another thread adopted, stays in the ended heap's table, which nobody reads
     * again. Reads Java-heap data only.
     */
    Slab ownSlab(long address) {
        long key = address >>> slabShift;
        int i = (int) key & (OWN_SLABS - 1);
        return ownSlabKeys[i] == key ? ownSlabs[i] : null;
    }

    /** {@code debug.checks}: every slab in {@link #ownSlabs} is this heap's now (what lets {@link #ownSlab} skip the check). */
    private void checkOwnSlabs() {
        for (Slab s : ownSlabs) {
            if (s != null && s.owner != this) {
                throw new IllegalStateException("a slab in the heap's own-slab table is not the heap's: " + s);
            }
        }
    }

    /** Enters {@code slab}, which this heap owns now, in {@link #ownSlabs} (in place of a colliding entry). */
    void rememberSlab(Slab slab) {
        long key = slab.base() >>> slabShift;
        int i = (int) key & (OWN_SLABS - 1);
        ownSlabKeys[i] = key;
        ownSlabs[i] = slab;
    }

    private void forgetSlab(Slab slab) {
        long key = slab.base() >>> slabShift;
        int i = (int) key & (OWN_SLABS - 1);
        if (ownSlabs[i] == slab) {
            ownSlabKeys[i] = 0;
            ownSlabs[i] = null;
        }
    }

    /** Enters {@code ss}, which holds a slab this heap owns, in the table of known SuperSlabs. */
    void rememberSuperSlab(SharedSuperSlab ss) {
        int i = (int) (ss.start >>> ssShift) & (KNOWN - 1);
        knownBase[i] = ss.start;
        knownSuperSlabs[i] = ss;
    }

    private long allocateFromSlab(int cls) {
        SlabSlot c = current[cls];
        if (c != null) {
            long p = c.slab.allocate();
            if (p != 0) {
                return p;
            }
        }
        stats.sampleLive();
        return nextSlab(cls).slab.allocate();
    }

    // ------------------------------------------------------------------ front cache backend

    @Override
    public int refill(int cls, long[] into, int offset, int max) {
        SlabSlot c = current[cls];
        if (c != null) {
            int n = c.slab.take(into, offset, max);
            if (n > 0) {
                return n;
            }
        }
        return nextSlab(cls).slab.take(into, offset, max);
    }

    /**
     * Gives blocks the front cache held back to their slabs: this heap's into the slab's free list, another heap's
     * ({@link #freeHeld}) onto the slab's remote stack, one chain and one CAS per run of blocks of one slab.
     */
    @Override
    public void flush(int cls, long[] from, int offset, int count) {
        int end = offset + count;
        for (int i = offset; i < end; ) {
            long p = from[i];
            SlabSlot slot = slotOf(p);
            Slab slab = slot.slab;
            if (slab.owner == this) {
                slab.giveBack(p);
                afterLocalFree(slot);
                i++;
                continue;
            }
            i = slab.returnHeld(from, i, end);
            if (slab.owner instanceof ThreadHeap owner) { // read after the push: see HeapHandOver
                owner.signalRemoteFree();
            }
        }
    }

    // ------------------------------------------------------------------ slow paths

    /**
     * Makes {@code current[cls]} a slab with a free block: its own remote frees (taken), a partial slab (after
     * collecting the others' remote frees), or a new one.
     */
    private SlabSlot nextSlab(int cls) {
        SlabSlot c = current[cls];
        if (c != null) {
            if (c.slab.hasRemote() && c.slab.takeRemote()) {
                return c;
            }
            current[cls] = null;
            c.current = false;
            full[cls].addFirst(c.heapLink);
        }
        if (remotePending()) {
            collectAllRemote(false);
        }
        SlabSlot p = partial[cls].pollFirst();
        if (p == null && registry.scanDue(++acquires)) {
            reclaimDeadHeaps(); // may adopt a partial slab of this class
            p = partial[cls].pollFirst();
        }
        if (p == null) {
            p = pool.assign(cls, this, expectsRemoteFrees(), stats);
            rememberSuperSlab(p.superSlab);
            rememberSlab(p.slab);
        }
        p.current = true;
        current[cls] = p;
        if (debug) {
            p.slab.checkInvariants();
            pool.checkInvariants();
            checkOwnSlabs();
        }
        return p;
    }

    /** After a block came back to {@code slot}'s slab locally: FULL moves to PARTIAL, an empty PARTIAL goes back. */
    private void afterLocalFree(SlabSlot slot) {
        if (slot.current) {
            return;
        }
        int cls = slot.slab.sizeClass();
        if (slot.heapLink.list() == full[cls]) {
            full[cls].remove(slot.heapLink);
            if (slot.slab.isEmpty()) {
                returnToPool(slot);
            } else {
                partial[cls].addFirst(slot.heapLink);
            }
        } else if (slot.slab.isEmpty()) {
            partial[cls].remove(slot.heapLink);
            returnToPool(slot);
        }
    }

    void returnToPool(SlabSlot slot) {
        if (debug) {
            slot.slab.checkInvariants();
        }
        slot.current = false;
        forgetSlab(slot.slab);
        pool.giveBack(slot, stats);
        if (debug) {
            pool.checkInvariants();
        }
    }

    /** Whether a remote free may be waiting in one of this heap's slabs. */
    boolean remotePending() {
        return (int) PaddedCell.INTS.getVolatile(remotePending, PaddedCell.INT) != 0;
    }

    /**
     * A remote freer, after its push: raises {@link #remotePending} unless it is up already, so a run of
     * remote frees stores to the line once. Volatile on both sides: a freer that saw the flag up read it
     * before the owner's clear, so its push, earlier still, is seen by the collect that follows the clear.
     */
    void signalRemoteFree() {
        if ((int) PaddedCell.INTS.getVolatile(remotePending, PaddedCell.INT) == 0) {
            PaddedCell.INTS.setVolatile(remotePending, PaddedCell.INT, 1);
        }
    }

    /** Owner, before it collects: later remote frees raise the flag again. */
    void clearRemotePending() {
        PaddedCell.INTS.setVolatile(remotePending, PaddedCell.INT, 0);
    }

    /**
     * Collects every remote stack of every slab this heap owns; the current slabs' only {@code withCurrent} (trim):
     * on the refill path their frees wait to be taken when each runs dry, unwalked, and a walk of one with a taken
     * chain would walk that chain too.
     */
    void collectAllRemote(boolean withCurrent) {
        clearRemotePending();
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            SlabSlot c = current[cls];
            if (withCurrent && c != null && c.slab.hasRemote()) {
                c.slab.collectRemote();
            }
            SlabSlot next;
            for (SlabSlot s = full[cls].first(); s != null; s = next) {
                next = s.heapLink.next();
                if (s.slab.hasRemote() && s.slab.collectRemote() > 0) {
                    afterLocalFree(s);
                }
            }
            for (SlabSlot s = partial[cls].first(); s != null; s = next) {
                next = s.heapLink.next();
                if (s.slab.hasRemote() && s.slab.collectRemote() > 0) {
                    afterLocalFree(s);
                }
            }
        }
    }

    /**
     * Gives back what this thread holds without need: its front cache, remote frees waiting for it,
     * and current slabs that are empty. Then runs the pool's due purges.
     */
    void trim() {
        front.drain(this, stats);
        collectAllRemote(true);
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            SlabSlot c = current[cls];
            if (c != null && c.slab.isEmpty()) {
                current[cls] = null;
                returnToPool(c);
            }
        }
        pool.purgeDue(System.nanoTime(), stats);
    }

    // ------------------------------------------------------------------ threads that ended

    /** Reclaims the heap of every thread that has ended into this heap, which must be the calling thread's. */
    void reclaimDeadHeaps() {
        HeapHandOver.reclaimDeadHeaps(this);
    }

    /** Takes over a non-empty slab of a dead heap (calling thread = this heap's; owner already set). */
    void adopt(SlabSlot slot) {
        rememberSuperSlab(slot.superSlab); // may sit where a SuperSlab this heap knew was unmapped
        rememberSlab(slot.slab);
        int cls = slot.slab.sizeClass();
        if (slot.slab.isExhausted()) {
            full[cls].addFirst(slot.heapLink);
        } else {
            partial[cls].addFirst(slot.heapLink);
        }
        if (debug) {
            slot.slab.checkInvariants();
        }
    }

    /** Slabs this heap owns now (current, partial and full), for tests. */
    int slabsOwned() {
        int n = 0;
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            n += (current[cls] != null ? 1 : 0) + partial[cls].size() + full[cls].size();
        }
        return n;
    }
}
