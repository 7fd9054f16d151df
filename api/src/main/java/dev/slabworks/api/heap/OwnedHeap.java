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
    /** How many times a heap may evict a running thread's heap from its allocator's heap cache ({@link #cacheEntryFor}). */
    public static final int CACHE_TAKES = 64;
    /** Times this heap evicted a running thread's heap from its allocator's heap cache; the owner's field. */
    private int cacheTakes;

    protected OwnedHeap(Thread thread) {
        super(thread);
    }

    /**
     * Owner, after neither entry of its allocator's two-entry heap cache ({@code first}, {@code second}: null, a
     * placeholder with no thread, or a heap) held it: the entry to store this heap in, 0 or 1, or -1 for neither.
     * An entry is taken when it is empty or its thread is not running: ended, or blocked or waiting (like a thread
     * that set a workload up and waits for its lanes); else the first {@link #CACHE_TAKES} times, the two entries in
     * turn; then neither. So two threads working at once each keep an entry, and a third finds its heap through
     * {@link PerThread} rather than storing on every call into the line that every call reads (with one entry and
     * no bound, 23 % of superslab's JFR samples under larson were in those stores).
     */
    public final int cacheEntryFor(OwnedHeap first, OwnedHeap second) {
        if (first == this || second == this) {
            return -1;
        }
        if (notRunning(first)) {
            return 0;
        }
        if (notRunning(second)) {
            return 1;
        }
        return cacheTakes < CACHE_TAKES ? cacheTakes++ & 1 : -1;
    }

    private static boolean notRunning(OwnedHeap entry) {
        return entry == null || entry.thread == null || entry.thread.getState() != Thread.State.RUNNABLE;
    }

    /**
     * Owner: marks the start of an operation and returns the odd value written. An opaque store, which HotSpot's
     * JIT keeps before every read that follows it (it compiles the access with a compiler barrier on each side;
     * the JMM alone does not promise this); the CPU's half of the ordering comes from the other side's
     * {@link Os#barrier()} (or, where that is not available, a volatile store here).
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
            OPS.setVolatile(this, s);
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
            OPS.setVolatile(this, s + 1);
        }
    }

    /** Any thread: the current value, read with acquire semantics. */
    final int opsAcquire() {
        return (int) OPS.getAcquire(this);
    }
}
