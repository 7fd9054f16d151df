package dev.slabworks.api.heap;

import dev.slabworks.api.PerThread;
import dev.slabworks.api.os.Os;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A per-thread heap's side of the {@link Lifecycle} handshake: {@link #ops} is odd while the owner thread is
 * inside an operation of the allocator and even otherwise. Only the owner writes it.
 *
 * <p>Every public operation of a strategy runs as
 * <pre>{@code
 *   int s = heap.enter();                 // ops odd, ordered before the reads below
 *   try {
 *       if (!life.usable()) throw life.unusable();
 *       ... the operation ...
 *       heap.exit(s);                     // ops even, after everything the operation stored
 *       return result;
 *   } catch (Throwable t) {
 *       if (s != 0) {
 *           heap.ops = (heap.ops | 1) + 1; // even and past any value a waiter saw; a plain store, no call
 *       }
 *       life.failed(t);
 *       throw t;
 *   }
 * }</pre>
 * ({@link Lifecycle#operation} is the same frame for the operations off the fast paths.) {@link #enter}
 * returns 0 when the heap is inside an operation already: the nested call neither enters nor exits.
 */
public abstract class OwnedHeap extends OwnedHeapThreadPadding {
    private static final VarHandle OPS;

    static {
        try {
            OPS = MethodHandles.lookup().findVarHandle(OwnedHeap.class, "ops", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Odd while the owner is inside an operation. Public only so that an operation's exception handler can
     * write it without a method call (see the class comment); everything else goes through the methods.
     */
    public int ops;
    /** How many times a heap may take an entry of its allocator's heap cache from a live thread. */
    public static final int CACHE_TAKES = 64;
    /** Times this heap took an entry of its allocator's heap cache from a live thread's heap; the owner's field. */
    private int cacheTakes;
    /**
     * Set for good by another thread's first free into one of this heap's slabs ({@link #remoteFreeArrived}): a
     * strategy that starts slabs shared on evidence starts this heap's later ones so ({@link #expectsRemoteFrees}), so
     * that a heap other threads free into waits in one handshake, not one per slab. Volatile, so that the write is
     * seen; a late read costs one more handshake, nothing else.
     */
    private volatile boolean freedInto;
    /** Whether other threads were expected to free into this heap from the start: its strategy's hint when it was made. */
    private final boolean expectFreedInto;

    protected OwnedHeap(Thread thread) {
        this(thread, false);
    }

    /** A heap whose new slabs start shared from the first when {@code expectFreedInto} (see {@link #expectsRemoteFrees}). */
    protected OwnedHeap(Thread thread, boolean expectFreedInto) {
        super(thread);
        this.expectFreedInto = expectFreedInto;
    }

    /** Another thread, on its first free into a slab of this heap (see {@link dev.slabworks.api.slab.Slab#beforeRemoteFree}). */
    public final void remoteFreeArrived() {
        if (!freedInto) {
            freedInto = true;
        }
    }

    /** Whether another thread has freed into one of this heap's slabs (the registry's hint when it is reclaimed). */
    public final boolean freedInto() {
        return freedInto;
    }

    /** Whether this heap's new slabs should start shared: other threads were expected to free into it, or have. */
    public final boolean expectsRemoteFrees() {
        return expectFreedInto || freedInto;
    }

    /** The entry of a two-entry heap cache (either may be null) whose heap belongs to {@code thread}, or null. */
    public static <H extends OwnedHeap> H cachedFor(H first, H second, Thread thread) {
        if (first != null && first.thread == thread) {
            return first;
        }
        return second != null && second.thread == thread ? second : null;
    }

    /**
     * Owner, after neither entry of its allocator's two-entry heap cache ({@code first}, {@code second}: null, a
     * placeholder with no thread, or a heap) held it: the entry to store this heap in, 0 or 1, or -1 for neither.
     * An entry that is empty or whose thread has ended is always taken. Otherwise, the first {@link #CACHE_TAKES}
     * times, an entry whose thread is not running (waiting or blocked, like a thread that set a workload up and
     * waits for its lanes), else one of the two by the parity of those takes; then neither. So two threads working
     * at once each keep an entry, and a third finds its heap through {@link PerThread} rather than storing on every
     * call into the line that every call reads (with one entry and no bound, 23 % of superslab's JFR samples under
     * larson were in those stores).
     */
    public final int cacheEntryFor(OwnedHeap first, OwnedHeap second) {
        if (first == this || second == this) {
            return -1;
        }
        if (unused(first)) {
            return 0;
        }
        if (unused(second)) {
            return 1;
        }
        if (cacheTakes >= CACHE_TAKES) {
            return -1;
        }
        cacheTakes++;
        if (first.thread.getState() != Thread.State.RUNNABLE) {
            return 0;
        }
        return second.thread.getState() != Thread.State.RUNNABLE ? 1 : cacheTakes & 1;
    }

    private static boolean unused(OwnedHeap entry) {
        return entry == null || entry.thread == null || !entry.thread.isAlive();
    }

    /**
     * Owner: marks the start of an operation and returns the odd value written. An opaque store, which HotSpot's
     * JIT keeps before every read that follows it (it compiles the access with a compiler barrier on each side;
     * the JMM alone does not promise this); the CPU's half of the ordering comes from the other side's
     * {@link Os#barrier()} (or, where that is not available, an atomic swap here: a full fence).
     */
    public final int enter() {
        int o = ops;
        if ((o & 1) != 0) {
            return 0; // nested in an operation of this heap (reallocate's allocate, copy and free): already inside
        }
        int s = o + 1;
        // the store is the last thing done: a StackOverflowError can strike before it (nothing entered) but not after
        if (Os.BARRIER_AVAILABLE) {
            OPS.setOpaque(this, s);
        } else {
            OPS.getAndSet(this, s); // an atomic swap: the store and a full fence in one, so nothing can throw between
        }
        return s;
    }

    /** Owner: the operation that {@link #enter} returned {@code s} for has ended; its stores are visible first. */
    public final void exit(int s) {
        if (s != 0) {
            OPS.setRelease(this, (ops | 1) + 1); // from the current value: a pause inside moved it on
        }
    }

    /** Owner, inside an operation that is about to wait for other heaps: counts as outside while it waits. */
    final int pause() {
        int s = ops + 1;
        OPS.setRelease(this, s);
        return s;
    }

    /** Owner: back inside after {@link #pause} returned {@code s}. */
    final void resume(int s) {
        if (Os.BARRIER_AVAILABLE) {
            OPS.setOpaque(this, s + 1);
        } else {
            OPS.getAndSet(this, s + 1);
        }
    }

    /** Any thread: the current value, read with acquire semantics. */
    final int opsAcquire() {
        return (int) OPS.getAcquire(this);
    }
}
