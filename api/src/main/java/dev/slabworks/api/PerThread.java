package dev.slabworks.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A per-thread value found by a direct-mapped table indexed by the thread's id: a load of the slot and a
 * compare of its owner against {@code Thread.currentThread()} (an intrinsic), not a hash probe. A thread whose
 * slot holds another live thread's value (their ids collide modulo {@link #SLOTS}) uses the map by thread, the
 * source of truth, and leaves the slot alone; a slot whose thread has ended goes to the next thread that asks.
 *
 * <p>The map belongs to this object, not to the threads: a {@link ThreadLocal} would keep each thread's value
 * in that thread's own map until the thread ends, or until later calls on it happen to clear the stale entry,
 * long after the allocator that made the value was closed and dropped, so a long-lived thread that used one
 * allocator after another kept the heaps of them all: the race campaign's sharing race (two long-lived threads,
 * a fresh allocator per round) ran superslab and shared-pool out of a 1 GiB Java heap within two seconds. Here a
 * value lives as long as this table, and an ended thread's entry goes when {@link #forget} is told or, at the
 * latest, at the next sweep ({@link #SWEEP_EVERY} new threads later).
 *
 * <p>The table is published racily; that is safe because a holder's fields are final and a thread only ever
 * uses a holder whose owner is itself. A slot is written when a thread takes it, not on a hit, so threads that
 * share a line of the table only read it.
 *
 * <p>The strategies keep in front of this a one-compare cache of the heap that the last caller used
 * ({@code lastHeap}, one load shorter than this table) and leave their fast paths for an out-of-line method
 * when it misses, one that returns and never rejoins them. Why: the JIT compiles the workload's loop while
 * one allocator has served one thread and prunes the miss; the next fresh allocator's first call takes it
 * (the workbench makes one per repetition), and a miss that rejoined the fast path was recompiled with
 * {@link #get} merged into it, ~10 % slower on random-mixed (c) in the workbench (measured 2026-11-25 at
 * 2a83c13 and ed12f25; benchmarks/measured/README.md, "A change of heap on a fresh allocator"). How often a miss
 * may take that cache over: {@code OwnedHeap.mayTakeCache}.
 */
public final class PerThread<T> {
    /** Slots of the table (a power of two): threads whose ids differ modulo this never share a slot. */
    public static final int SLOTS = 256;

    private record Holder<T>(Thread owner, T value) {
    }

    /** New threads between two sweeps of {@link #byThread} for threads that have ended. */
    static final int SWEEP_EVERY = 64;

    private final Supplier<? extends T> initial;
    /** Every thread that asked and has not been forgotten or swept since it ended; written by a thread for itself only. */
    private final ConcurrentHashMap<Thread, Holder<T>> byThread = new ConcurrentHashMap<>();
    private final AtomicInteger added = new AtomicInteger();
    @SuppressWarnings("unchecked")
    private final Holder<T>[] slots = (Holder<T>[]) new Holder<?>[SLOTS];

    public PerThread(Supplier<? extends T> initial) {
        this.initial = initial;
    }

    public T get() {
        Thread t = Thread.currentThread();
        Holder<T> h = slots[slot(t)];
        if (h != null && h.owner == t) {
            return h.value;
        }
        return slow(t);
    }

    private T slow(Thread t) {
        Holder<T> h = byThread.get(t);
        if (h == null) { // the thread's first call: only t adds t
            h = new Holder<>(t, initial.get());
            byThread.put(t, h);
            if (added.incrementAndGet() % SWEEP_EVERY == 0) {
                sweepEnded();
            }
        }
        int i = slot(t);
        Holder<T> occupant = slots[i];
        if (occupant == null || !occupant.owner.isAlive()) {
            slots[i] = h;
        }
        return h.value;
    }

    /**
     * Drops the table's reference to the value of {@code ended}, a thread that has ended (its heap was reclaimed):
     * the slot would otherwise keep the value from the garbage collector until another thread takes it.
     */
    public void forget(Thread ended) {
        byThread.remove(ended);
        int i = slot(ended);
        Holder<T> occupant = slots[i];
        if (occupant != null && occupant.owner == ended) {
            slots[i] = null;
        }
    }

    /** Drops the entries of threads that have ended, so that thread churn without {@link #forget} stays bounded. */
    private void sweepEnded() {
        byThread.keySet().removeIf(th -> !th.isAlive());
    }

    /** Threads this table holds a value for now (tests). */
    int threadsHeld() {
        return byThread.size();
    }

    private static int slot(Thread t) {
        return (int) t.threadId() & (SLOTS - 1);
    }
}
