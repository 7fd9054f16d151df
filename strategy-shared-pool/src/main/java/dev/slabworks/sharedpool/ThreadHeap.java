package dev.slabworks.sharedpool;

import dev.slabworks.api.front.FrontCache;
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
 * raise {@link #remotePending}; the owner collects them on its next slow path (a refill that found
 * its current slab exhausted, or {@code trim()}), scanning its slabs once.
 *
 * <p>Everything here belongs to the owning thread except {@link #remotePending}. Slabs of a thread
 * that ends stay assigned to its heap (blocks other threads free into them still go to their remote
 * stacks) until the allocator closes: a known gap, as in the seed.
 */
final class ThreadHeap implements FrontCache.Backend {
    final ThreadStats stats;
    final MincoreCache mincore;
    final FrontCache front;
    final boolean frontOn;
    /** Set by a thread that freed a block into one of this heap's slabs. */
    volatile boolean remotePending;

    private final SlabPool pool;
    private final RegionMap<?> regions;
    private final long superSlabSize;
    private final boolean debug;
    private final SlabSlot[] current = new SlabSlot[SizeClasses.COUNT];
    private final SlabSlot[] partial = new SlabSlot[SizeClasses.COUNT];
    private final SlabSlot[] full = new SlabSlot[SizeClasses.COUNT];
    /**
     * Per class, the slab the last front-cache block came from: blocks of one class mostly come from
     * one slab, so this skips the SuperSlab look-up. A hit needs the address in its range AND the slab
     * still owned here (a slab given back loses its owner, and its range may hold a new slab now).
     */
    private final Slab[] lastSlab = new Slab[SizeClasses.COUNT];
    private final long slabSize;
    /** The SuperSlab of the last own block this thread looked up, so most look-ups skip the RegionMap. */
    private SharedSuperSlab lastSuperSlab;
    private long lastBase = -1L;

    ThreadHeap(SlabPool pool, RegionMap<?> regions, long superSlabSize, ThreadStats stats, MincoreCache mincore,
               FrontCache front, boolean frontOn, boolean debug) {
        this.pool = pool;
        this.regions = regions;
        this.superSlabSize = superSlabSize;
        this.stats = stats;
        this.mincore = mincore;
        this.front = front;
        this.frontOn = frontOn;
        this.debug = debug;
        this.slabSize = pool.slabSize();
        Slab none = new Slab(0, SizeClasses.MAX_SIZE, 0); // owned by nobody: never a hit
        java.util.Arrays.fill(lastSlab, none);
    }

    // ------------------------------------------------------------------ fast paths

    /** A block of class {@code cls}, marked ALLOCATED in its slab. */
    long allocate(int cls) {
        long p;
        if (frontOn) {
            p = front.pop(cls, this, stats);
            if (p == 0) {
                throw new OutOfNativeMemoryError("no block of class " + cls);
            }
            Slab s = lastSlab[cls];
            long off = p - s.base();
            if (Long.compareUnsigned(off, slabSize) >= 0 || s.owner != this) {
                s = slabOfOwnBlock(p);
                lastSlab[cls] = s;
                off = p - s.base();
            }
            s.markAllocated(SizeClasses.blockIndex(cls, off));
        } else {
            p = allocateFromSlab(cls);
        }
        stats.allocated(SizeClasses.size(cls));
        return p;
    }

    /** Owner free of the ALLOCATED block {@code index} of {@code slab} (the caller checked). */
    void freeOwn(Slab slab, int index, long address) {
        stats.freed(slab.blockSize());
        if (frontOn) {
            slab.markFree(index);
            front.push(slab.sizeClass(), address, this, stats);
        } else {
            slab.freeLocal(index, address);
            afterLocalFree(slotOfOwnBlock(address));
        }
    }

    /** The slab of a block this heap owns or holds: a range check against the last SuperSlab, a shift. */
    private Slab slabOfOwnBlock(long p) {
        long off = p - lastBase;
        SharedSuperSlab ss = lastSuperSlab;
        if (Long.compareUnsigned(off, superSlabSize) >= 0) {
            ss = superSlabOf(p);
            off = p - ss.start;
        }
        return ss.slabs[(int) (off >>> ss.slabShift)];
    }

    private SlabSlot slotOfOwnBlock(long p) {
        long off = p - lastBase;
        SharedSuperSlab ss = lastSuperSlab;
        if (Long.compareUnsigned(off, superSlabSize) >= 0) {
            ss = superSlabOf(p);
            off = p - ss.start;
        }
        return ss.slots[(int) (off >>> ss.slabShift)];
    }

    private SharedSuperSlab superSlabOf(long p) {
        SharedSuperSlab ss = (SharedSuperSlab) regions.lookup(p);
        lastSuperSlab = ss;
        lastBase = ss.start;
        return ss;
    }

    private long allocateFromSlab(int cls) {
        SlabSlot c = current[cls];
        if (c != null) {
            long p = c.slab.allocate();
            if (p != 0) {
                return p;
            }
        }
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

    @Override
    public void flush(int cls, long[] from, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            long p = from[i];
            SlabSlot slot = slotOfOwnBlock(p);
            slot.slab.giveBack(p);
            afterLocalFree(slot);
        }
    }

    // ------------------------------------------------------------------ slow paths

    /** Makes {@code current[cls]} a slab with a free block: collected remote frees, a partial slab, or a new one. */
    private SlabSlot nextSlab(int cls) {
        SlabSlot c = current[cls];
        if (c != null) {
            if (c.slab.hasRemote() && c.slab.collectRemote() > 0) {
                return c;
            }
            current[cls] = null;
            push(full, c, SlabSlot.FULL);
        }
        if (remotePending) {
            collectAllRemote();
        }
        SlabSlot p = partial[cls];
        if (p != null) {
            unlink(partial, p);
        } else {
            p = pool.assign(cls, this, stats);
        }
        p.list = SlabSlot.CURRENT;
        current[cls] = p;
        if (debug) {
            p.slab.checkInvariants();
            pool.checkInvariants();
        }
        return p;
    }

    /** After a block came back to {@code slot}'s slab locally: FULL moves to PARTIAL, an empty PARTIAL goes back. */
    private void afterLocalFree(SlabSlot slot) {
        int list = slot.list;
        if (list == SlabSlot.CURRENT) {
            return;
        }
        if (list == SlabSlot.FULL) {
            unlink(full, slot);
            if (slot.slab.isEmpty()) {
                returnToPool(slot);
            } else {
                push(partial, slot, SlabSlot.PARTIAL);
            }
        } else if (slot.slab.isEmpty()) {
            unlink(partial, slot);
            returnToPool(slot);
        }
    }

    private void returnToPool(SlabSlot slot) {
        if (debug) {
            slot.slab.checkInvariants();
        }
        slot.list = SlabSlot.NO_LIST;
        pool.giveBack(slot, stats);
        if (debug) {
            pool.checkInvariants();
        }
    }

    /** Collects every remote stack of every slab this heap owns. */
    void collectAllRemote() {
        remotePending = false;
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            SlabSlot c = current[cls];
            if (c != null && c.slab.hasRemote()) {
                c.slab.collectRemote();
            }
            for (SlabSlot s = full[cls]; s != null; ) {
                SlabSlot next = s.next;
                if (s.slab.hasRemote() && s.slab.collectRemote() > 0) {
                    afterLocalFree(s);
                }
                s = next;
            }
            for (SlabSlot s = partial[cls]; s != null; ) {
                SlabSlot next = s.next;
                if (s.slab.hasRemote() && s.slab.collectRemote() > 0) {
                    afterLocalFree(s);
                }
                s = next;
            }
        }
    }

    /**
     * Gives back what this thread holds without need: its front cache, remote frees waiting for it,
     * and current slabs that are empty. Then runs the pool's due purges.
     */
    void trim() {
        front.drain(this, stats);
        collectAllRemote();
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            SlabSlot c = current[cls];
            if (c != null && c.slab.isEmpty()) {
                current[cls] = null;
                returnToPool(c);
            }
        }
        pool.purgeDue(System.nanoTime(), stats);
    }

    /** Slabs this heap owns now (current, partial and full), for tests. */
    int slabsOwned() {
        int n = 0;
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            n += current[cls] != null ? 1 : 0;
            for (SlabSlot s = partial[cls]; s != null; s = s.next) {
                n++;
            }
            for (SlabSlot s = full[cls]; s != null; s = s.next) {
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ intrusive lists

    private static void push(SlabSlot[] heads, SlabSlot s, int list) {
        int cls = s.slab.sizeClass();
        s.list = list;
        s.prev = null;
        s.next = heads[cls];
        if (s.next != null) {
            s.next.prev = s;
        }
        heads[cls] = s;
    }

    private static void unlink(SlabSlot[] heads, SlabSlot s) {
        if (s.prev != null) {
            s.prev.next = s.next;
        } else {
            heads[s.slab.sizeClass()] = s.next;
        }
        if (s.next != null) {
            s.next.prev = s.prev;
        }
        s.prev = null;
        s.next = null;
        s.list = SlabSlot.NO_LIST;
    }
}
