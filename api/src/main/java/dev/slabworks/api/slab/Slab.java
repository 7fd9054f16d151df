package dev.slabworks.api.slab;

import dev.slabworks.api.heap.Lifecycle;
import dev.slabworks.api.heap.OwnedHeap;
import dev.slabworks.api.heap.ThreadHeapRegistry;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.sizeclass.SizeClasses;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The Java-side descriptor of one slab: {@code capacity} blocks of one size class packed from
 * {@code base}. Shared by the SuperSlab strategies (one slab per size class per SuperSlab, or
 * slabs assigned on demand).
 *
 * <pre>
 *   base                                                     base + capacity * blockSize
 *   | block 0 | block 1 | ... | block bump-1 | never carved ......................... |
 *     a block in the local free list holds the address of the next one in its first 8 bytes:
 *     [ next (8) | unspecified ... ]
 *
 *   state[i] (Java heap, never in mapped memory):
 *     FREE      in the local free list, not yet carved, or held by a thread's front cache
 *     ALLOCATED handed to the user
 *     REMOTE    freed by another thread, waiting in the remote stack or the taken chain for the owner
 *   links (Java heap, {@link RemoteLinks}): for a REMOTE block, the next block's index + 1 on the remote
 *     stack or the taken chain, 0 at its end ({@link RemoteStack}); meaningless otherwise
 * </pre>
 * A byte of Java heap per block for its state, and four per block of each page of links a remote free touched.
 *
 * <p>Invariants (checked by {@link #checkInvariants()}):
 * <ol>
 *   <li>{@code localFreeLength + (capacity - bump) == capacity - used}</li>
 *   <li>{@code used == #ALLOCATED + #REMOTE + heldOutside} where {@code heldOutside} are FREE blocks a front
 *       cache holds: taken with {@link #take} and not yet {@link #giveBack given back}, or claimed by another
 *       thread's free and not yet {@link #returnHeld returned}.</li>
 *   <li>every block in the local free list is FREE; every block in the remote stack or the taken chain is REMOTE.</li>
 * </ol>
 *
 * <p>Threads: everything but {@link #freeRemote}, {@link #returnHeld}, {@link #beforeRemoteFree}, {@link #isShared},
 * {@link #markSharing}, {@link #markShared}, {@link #markFreedRemotely}, {@link #freedRemotely}, {@link #mayBeHeld}
 * and, on a shared slab, {@link #claimFree} and {@link #markAllocatedAt} belongs to the owning thread and is plain.
 * A remote free claims the block with one CAS on its state (ALLOCATED to REMOTE), so of two remote frees of one
 * block exactly one succeeds, then pushes it onto a Treiber stack, linked through {@code links} by index, that the
 * owner empties all at once; with only take-all pops the stack has no ABA problem. The owner walks what it took at
 * once ({@link #collectRemote}, which counts it, so that an emptied slab is seen) or, when it only needs blocks to
 * hand out, keeps it as the <em>taken chain</em> ({@link #takeRemote}) and hands its blocks out one at a time: a
 * walk of thousands of links is a burst of misses on lines another core wrote (docs/DESIGN.md §8).
 *
 * <p>Or, with {@code fc.remote}, the remote freer claims it with the same CAS to FREE ({@link #claimFree} on a
 * shared slab) and keeps it in its own front cache: it counts in {@code used} as any block a front cache holds,
 * the holder hands it out again ({@link #markAllocatedAt}: no other thread writes a FREE block's state), and
 * gives it back through the remote stack ({@link #returnHeld}) when its cache overflows or is drained.
 *
 * <p>An owner's free racing a remote free of the same block (a double free from two threads) must also
 * leave exactly one winner, or the block would sit on both lists and be handed out twice. A CAS on every
 * owner free cost 14 % of random-mixed (c) on superslab (2026-12-06), so the owner claims with a plain load and store
 * while the slab is private: the first remote free marks it {@link #markSharing sharing} and waits, through
 * the allocator's {@code Lifecycle} handshake, until no owner operation that could have read it private is
 * still running; from then on {@link #claimFree} uses the CAS. A slab may also start shared (the constructor's
 * {@code shared}) when its strategy expects remote frees into it: no handshake then, and the owner CASes from its
 * first free. Whether a remote free did come is kept apart ({@link #markFreedRemotely}), so that a strategy can
 * expect them from evidence, not from a slab that only started shared. Allocation needs neither: a free only ever
 * moves a block out of ALLOCATED, and only the thread holding a FREE block (the owner, or the holder of a
 * claimed block) moves it back in or, returning it, to REMOTE.
 */
public final class Slab {
    public static final byte FREE = 0;
    public static final byte ALLOCATED = 1;
    public static final byte REMOTE = 2;

    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final VarHandle SHARE;

    static {
        try {
            SHARE = MethodHandles.lookup().findVarHandle(Slab.class, "share", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long base;
    private final int sizeClass;
    private final int blockSize;
    private final int capacity;
    private final byte[] state;
    /** {@code capacity * blockSize}: offsets below it lie in a block (final, so the fast paths load no multiply). */
    private final long span;
    /** {@link SizeClasses#reciprocal} of the class, kept here: no table load and bounds check per index. */
    private final long reciprocal;

    private long localFree;
    /**
     * The taken chain, as its first block's {@code index + 1} (0: none): remote frees the owner took off the stack
     * and hands out before walking (REMOTE, in used).
     */
    private int takenRemote;
    private int bump;
    private int used;
    /** The remote stack's head ({@link RemoteStack}): remote freers CAS it. */
    private final long[] remoteHead = RemoteStack.newHead();
    /** The next block's {@code index + 1} after each block on the remote stack or the taken chain. */
    private final int[][] links;
    /**
     * 0 while private; {@link #SHARING} from a remote freer's first mark (the owner's frees CAS from then on);
     * {@link #SHARED} once that freer has waited out the owner's plain frees in flight. Written through SHARE
     * (volatile), read plain by the owner. Two steps, so that a second remote freer arriving during the first
     * one's wait does not take the mark for the end of the wait and race an owner's plain free.
     */
    private byte share;
    /** Set by the first free from a thread other than the owner ({@link #markFreedRemotely}); never cleared. */
    private volatile boolean freedRemotely;

    /** The strategy's owner of this slab (a per-thread heap); set before the slab is published. */
    public Object owner;

    /**
     * Whether a new slab should start {@link #isShared shared}: when the strategy allows it ({@code slab.start.shared})
     * and either its owner heap expects remote frees ({@code ownerExpects}: see
     * {@link OwnedHeap#expectsRemoteFrees}) or another thread freed into {@code previous}, the last slab at its place
     * (null: none). Every reason is evidence, never a slab that merely started shared.
     */
    public static boolean startsShared(boolean allowed, boolean ownerExpects, Slab previous) {
        return allowed && (ownerExpects || previous != null && previous.freedRemotely());
    }

    /** A slab of {@code sizeClass} blocks over {@code [base, base + length)}, private until a remote free. */
    public Slab(long base, long length, int sizeClass) {
        this(base, length, sizeClass, false);
    }

    /**
     * A slab of {@code sizeClass} blocks over {@code [base, base + length)}, {@link #isShared shared} from the
     * start when {@code shared}: its owner's frees CAS at once and no remote free waits. For a strategy that
     * expects remote frees into it (its owner has had them, its position had them), so that the handshake a
     * first remote free costs (a {@code membarrier} and a wait) is not paid again for every new slab. Safe without
     * a handshake: until the slab is published, no free of the owner can have read it private.
     */
    public Slab(long base, long length, int sizeClass, boolean shared) {
        if (length > SizeClasses.MAX_DIVIDEND) {
            throw new IllegalArgumentException("slab too long for blockIndex: " + length);
        }
        this.base = base;
        this.sizeClass = sizeClass;
        this.blockSize = SizeClasses.size(sizeClass);
        this.capacity = (int) (length / blockSize);
        if (capacity < 1) {
            throw new IllegalArgumentException("a " + length + "-byte slab holds no " + blockSize + "-byte block");
        }
        this.state = new byte[capacity];
        this.links = RemoteLinks.newPages(capacity);
        this.span = (long) capacity * blockSize;
        this.reciprocal = SizeClasses.reciprocal(sizeClass);
        this.share = shared ? SHARED : 0;
    }

    public long base() {
        return base;
    }

    public int sizeClass() {
        return sizeClass;
    }

    public int blockSize() {
        return blockSize;
    }

    public int capacity() {
        return capacity;
    }

    /** Blocks out of the slab: allocated, waiting remote, or held by a front cache. */
    public int used() {
        return used;
    }

    public boolean isEmpty() {
        return used == 0;
    }

    /** Nothing left to hand out without collecting remote frees. */
    public boolean isExhausted() {
        return localFree == 0 && bump == capacity && takenRemote == 0;
    }

    /** End of the carved-or-not block range: {@code base + capacity * blockSize}. */
    public long end() {
        return base + span;
    }

    /** Whether {@code address} lies in {@code [base, end())}: one unsigned compare. */
    public boolean contains(long address) {
        return Long.compareUnsigned(address - base, span) < 0;
    }

    /**
     * The index of the block starting at {@code address}, or -1 when {@code address} lies inside a
     * block or in the tail past the last block. Precondition: {@code base <= address}.
     */
    public int indexOf(long address) {
        long offset = address - base;
        if (offset >= span) {
            return -1;
        }
        int i = SizeClasses.divide(offset, reciprocal);
        return (long) i * blockSize == offset ? i : -1;
    }

    /**
     * {@link #indexOf} without its precondition: -1 also for an address below {@code base} (one unsigned
     * compare covers both ends).
     */
    public int blockAt(long address) {
        long offset = address - base;
        if (Long.compareUnsigned(offset, span) >= 0) {
            return -1;
        }
        int i = SizeClasses.divide(offset, reciprocal);
        return (long) i * blockSize == offset ? i : -1;
    }

    public long addressOf(int index) {
        return base + (long) index * blockSize;
    }

    public byte state(int index) {
        return (byte) STATE.getVolatile(state, index);
    }

    public boolean isAllocated(int index) {
        return state[index] == ALLOCATED;
    }

    /** A block handed to the user, or 0 when none is free locally (see {@link #takeRemote}). */
    public long allocate() {
        long p = takeOne();
        if (p != 0) {
            state[indexOfBlock(p)] = ALLOCATED;
        }
        return p;
    }

    /**
     * Moves up to {@code max} free blocks into {@code into[offset ..]} for a front cache; they stay
     * FREE (a double free of one is still caught) but count as used until given back.
     */
    public int take(long[] into, int offset, int max) {
        int n = 0;
        long p;
        while (n < max && (p = takeOne()) != 0) {
            into[offset + n++] = p;
        }
        return n;
    }

    /** Marks a block taken with {@link #take} as handed to the user. */
    public void markAllocated(int index) {
        state[index] = ALLOCATED;
    }

    /**
     * {@link #markAllocated} by address: the block starting at {@code address}, which the caller's front cache
     * holds (taken with {@link #take}, or claimed by the caller's free of another heap's block), so it lies in this
     * slab: a wrong address fails the array's bounds check at worst.
     */
    public void markAllocatedAt(long address) {
        state[indexOfBlock(address)] = ALLOCATED;
    }

    /**
     * The owner's claim on an ALLOCATED block: FREE without returning it to the slab (a front cache keeps
     * it). False when the block was not ALLOCATED (a double free, or a remote free of it won the race), in
     * which case nothing changed. Plain until the slab is shared, a CAS after (see the class comment).
     */
    public boolean claimFree(int index) {
        if (share != 0) { // plain: the caller's OwnedHeap.enter orders it after the heap's store (see Lifecycle)
            return STATE.compareAndSet(state, index, ALLOCATED, FREE);
        }
        if (state[index] != ALLOCATED) { // no other thread has freed into this slab: plain is exact
            return false;
        }
        state[index] = FREE;
        return true;
    }

    static final byte SHARING = 1;
    static final byte SHARED = 2;

    /**
     * A thread other than the owner, before its remote free into this slab, from inside an operation of its heap
     * {@code self}: waits in the handshake if the slab is still private (see the class comment), then records that a
     * remote free came ({@link #markFreedRemotely}), which tells the owner heap to start its later slabs shared.
     */
    public <H extends OwnedHeap> void beforeRemoteFree(Lifecycle life, H self, ThreadHeapRegistry<H> heaps) {
        if (!isShared()) {
            markSharing(); // the owner's frees claim with a CAS from now on; those already running are waited for
            life.quiesceFrom(self, heaps.snapshot());
            markShared(); // nothing plain can still be running: later remote freers need not wait
        }
        if (markFreedRemotely() && owner instanceof OwnedHeap o) {
            o.remoteFreeArrived(); // its later slabs start shared
        }
    }

    /** Whether a remote freer has marked this slab and waited out the owner's plain frees: later ones need not wait. */
    public boolean isShared() {
        return (byte) SHARE.getAcquire(this) == SHARED;
    }

    /** Any thread, before its first remote free here: the owner's frees CAS from now on (see {@link #share}). */
    public void markSharing() {
        SHARE.compareAndSet(this, (byte) 0, SHARING);
    }

    /** The remote freer that called {@link #markSharing}, after waiting for the owner's operations in flight. */
    public void markShared() {
        SHARE.setVolatile(this, SHARED);
    }

    /**
     * Any thread, on a free into this slab that it does not own: records that one came. True for the first such
     * free (a read after that; two racing first ones may both see true, which is harmless: what the strategy learns
     * from it is a hint).
     */
    public boolean markFreedRemotely() {
        if (freedRemotely) {
            return false;
        }
        freedRemotely = true;
        return true;
    }

    /** Whether a thread other than the owner has freed into this slab ({@link #markFreedRemotely}). */
    public boolean freedRemotely() {
        return freedRemotely;
    }

    /** Takes back a FREE block that a front cache held. */
    public void giveBack(long address) {
        pushLocal(address);
        used--;
    }

    /**
     * Owner-thread free: {@link #claimFree} then back onto the local free list. False (and nothing changed)
     * when the block was not ALLOCATED.
     */
    public boolean freeLocal(int index, long address) {
        if (!claimFree(index)) {
            return false;
        }
        pushLocal(address);
        used--;
        return true;
    }

    /**
     * Free from a thread that does not own the slab. False when the block was not ALLOCATED
     * (a double free), in which case nothing changed.
     */
    public boolean freeRemote(int index, long address) {
        if (!STATE.compareAndSet(state, index, ALLOCATED, REMOTE)) {
            return false;
        }
        RemoteStack.push(remoteHead, links, index, index);
        return true;
    }

    /**
     * Whether a thread other than the owner keeps a block of this slab that it frees ({@code fc.remote}), its front
     * cache holding {@code held} blocks of the class: while that is below {@code bound} (a bound, as glibc's tcache
     * has, so that blocks drift back to their owner instead of circulating among threads that keep writing the
     * owner's block states), and never when the owner heap's thread has ended (its slabs wait for a live heap to
     * adopt them).
     */
    public boolean mayBeHeld(int held, int bound) {
        return held < bound && owner instanceof OwnedHeap o && o.thread.isAlive();
    }

    /**
     * A thread other than the owner gives back the blocks of this slab that start {@code blocks[from..end)}: the
     * run up to the first block of another slab. It freed them with {@link #claimFree} and held them FREE in its
     * front cache since (a thread may hold another's blocks: see {@code fc.remote}); they become REMOTE and go onto
     * the remote stack as one chain, with one CAS, for the owner to collect. Nobody else writes a held block's state
     * (every free's CAS expects ALLOCATED), so plain stores do, published by the CAS. Returns the index past the run.
     */
    public int returnHeld(long[] blocks, int from, int end) {
        int to = from + 1;
        while (to < end && contains(blocks[to])) {
            to++;
        }
        int first = indexOfBlock(blocks[from]);
        int b = first;
        for (int i = from + 1; i < to; i++) {
            int next = indexOfBlock(blocks[i]);
            state[b] = REMOTE;
            RemoteLinks.set(links, b, next + 1);
            b = next;
        }
        state[b] = REMOTE;
        RemoteStack.push(remoteHead, links, first, b);
        return to;
    }

    /** Owner: whether remote frees wait for {@link #collectRemote}, in the taken chain or on the stack. */
    public boolean hasRemote() {
        return takenRemote != 0 || !RemoteStack.isEmpty(remoteHead);
    }

    /**
     * Owner, once the taken chain is handed out (as on an {@linkplain #isExhausted exhausted} slab; else it throws):
     * takes the remote stack, without walking it, as the taken chain that {@link #allocate} and {@link #take} hand
     * out after the local and uncarved blocks; returns whether it held any. Its blocks stay REMOTE and in
     * {@code used} until handed out, so a slab that remote frees emptied reads as empty only after
     * {@link #collectRemote}.
     */
    public boolean takeRemote() {
        if (takenRemote != 0) {
            throw new IllegalStateException("the taken chain is not handed out yet");
        }
        takenRemote = RemoteStack.takeAll(remoteHead);
        return takenRemote != 0;
    }

    /** Owner: moves every remotely freed block (taken chain, then stack) to the free list; returns how many. */
    public int collectRemote() {
        int n = freeChain(takenRemote);
        takenRemote = 0;
        n += freeChain(RemoteStack.takeAll(remoteHead));
        used -= n;
        return n;
    }

    /** Moves the REMOTE blocks of the chain from {@code t} ({@code index + 1}) into the local free list; returns how many. */
    private int freeChain(int t) {
        int n = 0;
        while (t != 0) {
            int b = t - 1;
            t = RemoteLinks.next(links, b);
            // plain: RemoteStack.takeAll's swap synchronized with every push, and no other thread writes a REMOTE
            // block's state (a racing remote free fails its CAS on REMOTE and on FREE alike); a volatile store here
            // was a fence per block, the hottest line of remote-free's collect in JFR
            state[b] = FREE;
            pushLocal(addressOf(b));
            n++;
        }
        return n;
    }

    /** Throws {@link IllegalStateException} naming the first broken invariant (debug mode; O(capacity)). */
    public void checkInvariants() {
        SlabInvariants.check(this, localFree, takenRemote, bump, used, state, links);
    }

    /** A FREE block off the slab: the local free list's, an uncarved one, or the taken chain's (already in used). */
    private long takeOne() {
        long p = localFree;
        if (p != 0) {
            localFree = Memory.getLong(p);
        } else if (bump < capacity) {
            p = base + (long) bump++ * blockSize;
        } else {
            return takeTaken();
        }
        used++;
        return p;
    }

    private long takeTaken() {
        int t = takenRemote;
        if (t == 0) {
            return 0;
        }
        int b = t - 1;
        takenRemote = RemoteLinks.next(links, b);
        state[b] = FREE; // plain, as in freeChain: no other thread writes a REMOTE block's state
        return addressOf(b);
    }

    private void pushLocal(long address) {
        Memory.putLong(address, localFree);
        localFree = address;
    }

    private int indexOfBlock(long address) {
        return SizeClasses.divide(address - base, reciprocal);
    }

    @Override
    public String toString() {
        return "Slab[0x" + Long.toHexString(base) + " class " + sizeClass + " (" + blockSize + " B) used "
                + used + "/" + capacity + "]";
    }
}
