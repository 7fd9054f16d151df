package dev.slabworks.mimalloc;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.heap.Lifecycle;
import dev.slabworks.api.heap.PaddedCell;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.ThreadStats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The Java-side descriptor of one page: a {@code pageSize}-byte slice of a {@link Segment} that
 * serves blocks of one size class for one {@link Heap}. Every list and every block state lives in
 * Java arrays here; the allocator never reads or writes the blocks' own memory, so a use after free
 * or a hostile pointer can never damage this metadata.
 *
 * <pre>
 *   start                                                          start + pageSize
 *   +---------+---------+---------+-----+-----------+---------------+------+
 *   | block 0 | block 1 | block 2 | ... | block c-1 | never carved  | tail |
 *   +---------+---------+---------+-----+-----------+---------------+------+
 *   |&lt;- blockSize -&gt;|               carved = c        capacity = floor(pageSize / blockSize)
 *
 *   link[i] : the state of block i and its successor on the list it is on, in one int:
 *             &gt;= 0 or -1 (NONE) FREE: successor on free / localFree (-1 ends a list; blocks
 *                               never carved are FREE with NONE and on no list)
 *             -2  ALLOCATED
 *             &lt;= -3 REMOTE_FREED: on threadFree, its successor there -4 - link[i]
 *                               (-3 ends the list, -4 is followed by block 0, -5 by block 1, ...)
 * </pre>
 *
 * <p>The three sharded lists (after mimalloc): {@code free} is what allocation pops; the owner's
 * own frees go to {@code localFree}; frees from other threads are pushed atomically onto
 * {@code threadFree} and collected by the owner in its slow path. Keeping allocation and freeing on
 * separate lists is what sends the owner through the slow path (collection, retirement) at a
 * regular rhythm without a check on every operation.
 *
 * <p>State and link share one array so that the fast paths touch one cache line of metadata per
 * block: allocation is {@code b = free; free = link[b]; link[b] = ALLOCATED}, a local free is
 * {@code localFree = b} then {@code link[b] == ALLOCATED} then {@code link[b] = next} (the old head). A remote
 * free keeps its successor in the same entry, so the line its CAS took is the only line of block metadata that
 * moves between the two threads (a separate array of successors moved a second line to the freeing thread and
 * back to the owner at collection).
 *
 * <p>Invariants (checked by {@link #checkInvariants(boolean)} when the {@code debug.checks} knob is on;
 * exact when no remote free is in flight):
 * <pre>
 *   used + |free| + |localFree| == carved &lt;= capacity
 *   used == #ALLOCATED + #REMOTE_FREED        (a remotely freed block stays "used" until collected)
 *   |threadFree| == #REMOTE_FREED
 *   blocks on free and localFree are exactly the carved blocks in state FREE; blocks at
 *   index &gt;= carved are FREE and on no list
 * </pre>
 *
 * <p>Counting (the stats): a block's bytes go to the owner's {@link ThreadStats} at once, one field each
 * way, so live bytes stay exact; its count stays here, in the page's own fields, until the page goes back to
 * the pool or the allocator closes ({@link #countInto}), and a snapshot adds what pages still hold
 * ({@link #addUncountedTo}). So the fast paths bump no per-class counter: an allocation adds one to
 * {@code uncountedAllocations}, a local free nothing here, its count following from {@code used}:
 * <pre>
 *   local frees not yet counted = uncountedAllocations - (used - usedAtCount)
 * </pre>
 * where {@code usedAtCount} is {@code used} at the last count, minus the remote frees collected since (each
 * counted by the thread that freed it). Why: random-mixed (c) in the workbench (a fresh allocator per
 * repetition) ran at 64.0-66.2 M ops/s with a per-class counter slot bumped on every allocate and free, and
 * at 68.8-69.2 M this way (four one-JVM runs each, interleaved, 2026-11-25: e620b0e against 1562983;
 * benchmarks/measured/README.md, "Stats: what counting costs").
 *
 * <p>Assumptions and guarantees for concurrency ("the owner thread" is the thread of the heap in
 * {@link #owner}; ownership moves from a heap whose thread has ended to a live one only as
 * {@link HeapCollector} describes): the owner thread alone writes {@code free},
 * {@code localFree}, {@code used}, {@code carved}, the FREE values of {@code link}, the queue links and the
 * counts ({@code uncountedAllocations}, {@code usedAtCount}), with plain accesses but for the release stores of
 * {@code localFree} below (a snapshot reads the counts and {@code used} racily; the closing thread counts them last,
 * and a free racing close may be left out of that count). Another thread reads {@code localFree} (until the page is
 * SETTLED, below) and touches only
 * {@code link[b]} (a CAS from ALLOCATED to REMOTE_FREED, so of two racing remote frees of one block exactly
 * one wins and the other is a DOUBLE_FREE, then the successor in the entry it won while its push retries),
 * {@code threadFree} (CAS push) and {@code share}. The owner detaches the whole {@code threadFree} list with one
 * atomic swap and follows it through the entries, which no one else writes while their blocks are on it (every
 * CAS on an entry expects ALLOCATED). An owner free racing a remote free of the same block (a double free from
 * two threads) has exactly one winner too, as follows.
 *
 * <p>An owner free against a remote free (an asymmetric Dekker protocol whose owner side is the free's own
 * store, so the owner's free takes no frame and no fence):
 * <pre>
 *   owner, freeLocal(b)                              remote freer, first on the page   later remote freers
 *   localFree = b        (release: the claim)        share = SHARING  (CAS)
 *   read share           (kept after the store)      membarrier       (every running thread fences)
 *   0: link[b] == ALLOCATED ? link[b] = next         share = SHARED   (unless SETTLED)
 *   else: share = SETTLED; CAS link[b] -&gt; next       ---------------- both: remoteFree(b) ---------------
 *   failed: localFree = next (the claim withdrawn)   share != SETTLED and localFree == b ? lose
 *                                                    CAS link[b] ALLOCATED -&gt; REMOTE_FREED
 * </pre>
 * If the owner read share as 0, its read came before the remote side's membarrier, so its claim (stored
 * before the read) is visible to every remote freer after it: each finds {@code localFree == b} and loses, or
 * a later value, stored with release after the owner's {@code link[b]} store, and then the CAS fails on it.
 * If the owner read share as set, it CASes. {@code localFree == b} is never stale for an allocated block:
 * {@code b} leaves the local list only by {@link #clearLocalFree}, a release store, before it is handed out
 * again. SETTLED (the owner freed, or refilled, since the page was shared) says that no plain free of the owner
 * can still be in flight, so remote freers skip the read of {@code localFree}, which sits on the owner's line.
 * Where membarrier is missing the owner's claim is an atomic swap, a full fence (a volatile store alone would not keep
 * the plain read of share after it on every processor).
 */
final class Page extends PageOwnerFields {
    static final int NONE = -1;
    static final int ALLOCATED = -2;
    /** REMOTE_FREED and last on threadFree; every value below is REMOTE_FREED too, followed by a block. */
    static final int REMOTE_FREED = -3;
    private static final VarHandle LINK = MethodHandles.arrayElementVarHandle(int[].class);

    // what remote freers read is in PageSharedFields, what the owner writes in PageOwnerFields, a cache line apart
    // (but for localFree, which they read only until the page is SETTLED)
    @SuppressWarnings("unused")
    private long pad0, pad1, pad2, pad3, pad4, pad5, pad6, pad7; // and from the next object in memory

    Page(Segment segment, long start, long size) {
        super(segment, start, size);
    }

    /**
     * Hands a pooled page to {@code heap} for class {@code cls}; slow path. The first assignment makes
     * {@code link}, {@code maxBlocks} long (the capacity for the smallest class of the page's kind), and
     * it is never replaced: a stale remote free racing a reassignment indexes the same array.
     */
    void assign(Heap heap, int cls, long pageSize, int maxBlocks) {
        long bs = SizeClasses.size(cls);
        int capacity = (int) (pageSize / bs);
        if (link == null) {
            link = new int[maxBlocks];
        }
        this.cls = cls;
        this.blockSize = bs;
        this.reciprocal = SizeClasses.reciprocal(cls);
        Arrays.fill(link, NONE); // all of it: a stale free computed with the old class must find nothing ALLOCATED
        this.capacity = capacity;
        this.carved = 0;
        this.used = 0;
        this.uncountedAllocations = 0;
        this.usedAtCount = 0;
        this.free = NONE;
        this.localFree = NONE;
        PaddedCell.INTS.setVolatile(threadFree, PaddedCell.INT, NONE);
        this.inFull = false;
        this.queueNext = null;
        this.queuePrev = null;
        this.owner = heap; // last: a remote free that sees the new owner sees a reset page
    }

    /** Takes the page back from its heap (it has no used block). */
    void retire() {
        owner = null;
        free = NONE;
        localFree = NONE;
        queueNext = null;
        queuePrev = null;
        inFull = false;
    }

    boolean hasThreadFrees() {
        return (int) PaddedCell.INTS.getVolatile(threadFree, PaddedCell.INT) != NONE;
    }

    /**
     * Refills {@link #free} when it is empty: the owner's local frees first, then the frees other
     * threads pushed, then fresh blocks never handed out. False if the page is full.
     */
    boolean refill() {
        settle(share);
        if (free != NONE) {
            // a page that got blocks on free off the allocation path (adopted, or collected by trim):
            // use those first; localFree waits for the next refill, which finds free empty
            return true;
        }
        if (localFree != NONE) {
            // free is empty here: the local list becomes the allocation list in O(1)
            free = localFree;
            clearLocalFree();
        }
        if (hasThreadFrees()) {
            collectThreadFrees();
        }
        if (free == NONE && carved < capacity) {
            extend();
        }
        return free != NONE;
    }

    /** Moves every block other threads freed onto {@link #free}. */
    void collectThreadFrees() {
        int b = (int) PaddedCell.INTS.getAndSet(threadFree, PaddedCell.INT, NONE);
        int head = free;
        int freed = 0;
        // bounded: a correct list holds each block at most once; a user race must not make us spin
        for (int visits = 0; b != NONE && visits < capacity; visits++) {
            int s = link[b];
            if (!isRemoteFreed(s)) {
                break; // nothing writes an entry on the list but this loop: a broken list, not walked further
            }
            link[b] = head;
            head = b;
            freed++;
            b = remoteSuccessor(s);
        }
        free = head;
        used -= freed;
        usedAtCount -= freed; // counted by the threads that freed them, not as local frees
    }

    /**
     * Adds the allocations and local frees not yet counted to {@code ts} and starts counting afresh (the owner
     * thread, or one that happens after it, as at close).
     */
    void countInto(ThreadStats ts) {
        addUncountedTo(ts);
        uncountedAllocations = 0;
        usedAtCount = used;
    }

    /**
     * Adds what {@link #countInto} would add to {@code ts} without counting it (any thread: a snapshot's extra
     * row; read racily, exact when the owner is quiescent).
     */
    void addUncountedTo(ThreadStats ts) {
        ts.allocatedBlocks(uncountedAllocations);
        ts.freedBlocks(uncountedFrees());
    }

    /** The local frees since the last {@link #countInto}, derived from {@code used} (see "Counting"). */
    private long uncountedFrees() {
        return uncountedAllocations - (used - usedAtCount);
    }

    /** Carves up to a 4 KiB run (at least one block) of never-used blocks onto {@link #free}. */
    private void extend() {
        int n = (int) Math.max(1, Math.min(capacity - carved, 4096 / blockSize));
        int first = carved;
        int last = first + n - 1;
        for (int i = first; i < last; i++) {
            link[i] = i + 1;
        }
        link[last] = free;
        free = first;
        carved = last + 1;
    }

    /**
     * A free by a thread that does not own the page. Returns false if the block was not allocated
     * (a double free, or a lost race with another free of it); otherwise the block is on
     * {@code threadFree}.
     */
    boolean remoteFree(int b) {
        if ((byte) SHARE.getAcquire(this) != SETTLED && (int) LOCAL_FREE.getAcquire(this) == b) {
            return false; // the owner claimed b: it freed it, or is freeing it now and wins
        }
        int head = (int) PaddedCell.INTS.getVolatile(threadFree, PaddedCell.INT);
        if (!claimRemote(b, head)) {
            return false;
        }
        pushRemote(b, head);
        return true;
    }

    /** A remote free's claim on {@code b}: ALLOCATED to REMOTE_FREED, followed by {@code head}; false if not ALLOCATED. */
    boolean claimRemote(int b, int head) {
        return LINK.compareAndSet(link, b, ALLOCATED, remoteFreed(head));
    }

    /**
     * Pushes {@code b}, claimed with {@code head} as its successor, onto threadFree. When the head has moved since,
     * the entry is rewritten with the new one before the next try: a plain store, since the push that succeeds
     * publishes it to the owner, and any other thread reading the entry meanwhile only sees that it is not
     * ALLOCATED, which both values say.
     */
    void pushRemote(int b, int head) {
        while (!PaddedCell.INTS.compareAndSet(threadFree, PaddedCell.INT, head, b)) {
            head = (int) PaddedCell.INTS.getVolatile(threadFree, PaddedCell.INT);
            link[b] = remoteFreed(head);
        }
    }

    /** The entry of a REMOTE_FREED block followed on threadFree by {@code next} (NONE: the last). */
    static int remoteFreed(int next) {
        return REMOTE_FREED - 1 - next;
    }

    /** The successor on threadFree of a block whose entry is {@code state}, REMOTE_FREED. */
    static int remoteSuccessor(int state) {
        return REMOTE_FREED - 1 - state;
    }

    static boolean isRemoteFreed(int state) {
        return state <= REMOTE_FREED;
    }

    /**
     * The owner's free of block {@code b} onto {@code localFree}; false (nothing changed) when it is not
     * ALLOCATED. The claim first, then a plain check and store while the page is private, one CAS once it is
     * shared, so that an owner free and a remote free of the same block racing each other have exactly one
     * winner (see "An owner free against a remote free" above).
     */
    boolean freeLocal(int b) {
        int next = localFree;
        if (Os.BARRIER_AVAILABLE) {
            LOCAL_FREE.setRelease(this, b); // the claim, before share is read (HotSpot keeps the load after it)
        } else {
            LOCAL_FREE.getAndSet(this, b); // no membarrier on the remote side: an atomic swap, a full fence
        }
        byte s = share;
        if (s == 0) {
            if (link[b] == ALLOCATED) {
                link[b] = next;
                return true;
            }
        } else {
            settle(s); // this free CASes, so no plain one of this thread is in flight
            if (LINK.compareAndSet(link, b, ALLOCATED, next)) {
                return true;
            }
        }
        localFree = next; // the claim withdrawn: b was not allocated (a plain store cannot fail midway)
        return false;
    }

    /**
     * {@code heap}'s free of {@code address}, a block of this page, as a valid local one: the claim and the block as in
     * {@link #freeLocal}, its bytes counted, {@code used} one less; false (nothing changed) if it is not one (another
     * heap's page, not a block start, not allocated). The caller looks at {@code used} and {@code inFull} after.
     */
    boolean freeByOwner(Heap heap, long address) {
        if (owner != heap) {
            return false;
        }
        long off = address - start;
        int b = blockIndex(off);
        long bs = blockSize;
        if (b * bs != off || b >= capacity || !freeLocal(b)) {
            return false;
        }
        heap.stats.freedBlockBytes(bs); // its count follows from used: see "Counting"
        used--;
        return true;
    }

    /** The owner's frees become the allocation list: {@code localFree} empties (a release store: see there). */
    void clearLocalFree() {
        LOCAL_FREE.setRelease(this, NONE);
    }

    static final byte SHARING = 1;
    static final byte SHARED = 2;
    static final byte SETTLED = 3;

    /** Whether a remote freer has marked this page and fenced every thread: later remote freers need not. */
    boolean isShared() {
        return (byte) SHARE.getAcquire(this) >= SHARED;
    }

    /**
     * A thread other than the owner, before its remote free here: if the page is not shared yet, marks it (the owner's
     * frees CAS from then on), fences every thread so that the claims of owner frees already running are visible to
     * {@link #remoteFree}, and marks it SHARED (later remote freers need not fence). See "An owner free against a
     * remote free" above.
     */
    void beforeRemoteFree(Lifecycle life) {
        if (!isShared()) {
            markSharing();
            life.fenceEveryThread();
            markShared();
        }
    }

    /** Any thread, before its first remote free here: the owner's frees CAS from now on (see {@link #share}). */
    void markSharing() {
        SHARE.compareAndSet(this, (byte) 0, SHARING);
    }

    /** The remote freer that called {@link #markSharing}, after fencing every thread (unless the owner settled it). */
    void markShared() {
        SHARE.compareAndSet(this, SHARING, SHARED);
    }

    /**
     * The owner, outside a plain free, having read {@code s} from {@code share}: a shared page becomes SETTLED (no plain
     * free of this thread can be in flight).
     */
    private void settle(byte s) {
        if (s != 0 && s != SETTLED) {
            SHARE.setRelease(this, SETTLED);
        }
    }

    /** Whether block {@code b} is allocated now; for any thread (usableSize). */
    boolean isAllocated(int b) {
        return (int) LINK.getOpaque(link, b) == ALLOCATED;
    }

    /**
     * The index of the block starting at {@code address} in this page, or a rejection: INTERIOR
     * when the address is not a block start of the page's class, DOUBLE_FREE when it is the start
     * of a block of a page no heap owns now (freed, then the page retired).
     */
    int blockOf(long address, ThreadStats ts) {
        if (cls < 0) {
            throw InvalidFreeException.interior(address, ts, "inside a page never used");
        }
        long off = address - start;
        int b = blockIndex(off);
        long bs = blockSize;
        if (b * bs != off || b >= capacity) {
            throw InvalidFreeException.interior(address, ts,
                    "not the start of a " + bs + "-byte block of " + this);
        }
        if (owner == null) {
            throw InvalidFreeException.doubleFree(address, ts, "block of a retired page");
        }
        return b;
    }

    /** {@code offset / blockSize} for an offset inside the page, without a division. */
    int blockIndex(long offset) {
        return SizeClasses.divide(offset, reciprocal);
    }

    /**
     * Checks the invariants of the class comment; throws {@link IllegalStateException} naming the
     * broken one. Owner thread only. Remote frees may be in flight unless {@code quiescent}: then
     * the {@code threadFree} length, which a pusher changes after its CAS, is not compared.
     */
    void checkInvariants(boolean quiescent) {
        if (cls < 0 || owner == null) {
            return;
        }
        boolean[] onList = new boolean[capacity];
        int free = countList(this.free, onList, "free");
        int local = countList(this.localFree, onList, "localFree");
        int remote = 0;
        for (int b = (int) PaddedCell.INTS.getVolatile(threadFree, PaddedCell.INT), v = 0; b != NONE; v++) {
            if (v > capacity) {
                throw new IllegalStateException(this + ": threadFree is cyclic");
            }
            if (b < 0 || b >= capacity || !isRemoteFreed(link[b])) {
                throw new IllegalStateException(this + ": threadFree leaves the page or holds a block not REMOTE_FREED at "
                        + b);
            }
            remote++;
            b = remoteSuccessor(link[b]);
        }
        int allocated = 0;
        int remoteFreed = 0;
        for (int i = 0; i < capacity; i++) {
            int s = link[i];
            boolean isFree = s >= NONE;
            if (i >= carved && (!isFree || onList[i])) {
                throw new IllegalStateException(this + ": block " + i + " beyond carved is in use or listed");
            }
            if (s == ALLOCATED) {
                allocated++;
            } else if (isRemoteFreed(s)) {
                remoteFreed++;
            }
            if (i < carved && isFree != onList[i]) {
                throw new IllegalStateException(this + ": block " + i + " is " + (isFree ? "FREE but on no list" : "in use but listed"));
            }
        }
        if (carved > capacity || used + free + local != carved) {
            throw new IllegalStateException(this + ": used " + used + " + free " + free + " + localFree " + local
                    + " != carved " + carved + " (capacity " + capacity + ")");
        }
        if (used != allocated + remoteFreed) {
            throw new IllegalStateException(this + ": used " + used + " != allocated " + allocated + " + remote-freed " + remoteFreed);
        }
        if (uncountedAllocations < 0 || uncountedFrees() < 0) {
            throw new IllegalStateException(this + ": " + uncountedAllocations + " uncounted allocations, used " + used
                    + ", used at the last count " + usedAtCount + ": a negative count");
        }
        if (quiescent && remote != remoteFreed) {
            throw new IllegalStateException(this + ": threadFree holds " + remote + " but " + remoteFreed + " blocks are REMOTE_FREED");
        }
    }

    private int countList(int head, boolean[] onList, String name) {
        int n = 0;
        for (int b = head; b != NONE; b = link[b]) {
            if (b < 0 || b >= capacity || onList[b]) {
                throw new IllegalStateException(this + ": " + name + " revisits or leaves the page at block " + b);
            }
            onList[b] = true;
            n++;
        }
        return n;
    }

    @Override
    public String toString() {
        return "page 0x" + Long.toHexString(start) + " class " + cls + " (" + blockSize + " B)";
    }
}
