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
 * <p>The map belongs to this object, not to the threads: a {@link ThreadLocal} keeps a value in its thread's own
 * map, where a long-lived thread held the heaps of every allocator it had used, closed ones included (DESIGN §10,
 * "Finding the heap"). Here a value goes with this table; an ended thread's entry goes when {@link #forget} is
 * told, or at the next sweep for ended threads, which runs once enough new threads have been added
 * ({@link #SWEEP_EVERY}, or half the entries if more), so that its cost per new thread stays constant.
 *
 * <p>The table is published racily; that is safe because a holder's fields are final and a thread only ever
 * uses a holder whose owner is itself. A slot is written when a thread takes it, not on a hit, so threads that
 * share a line of the table only read it.
 *
 * <p>The strategies keep in front of this a two-entry cache of their recent callers' heaps (a load and a compare
 * each, shorter than this table) and leave their fast paths for an out-of-line method when both entries miss, one
 * that returns and never rejoins them. Why: the JIT compiles the workload's loop while
 * one allocator has served one thread and prunes the miss; the next fresh allocator's first call takes it
 * (the workbench makes one per repetition), and a miss that rejoined the fast path was recompiled with
 * {@link #get} merged into it, ~10 % slower on random-mixed (c) in the workbench (measured 2026-11-25 at
 * 2a83c13 and ed12f25; benchmarks/measured/README.md, "A change of heap on a fresh allocator"). How often a miss
 * may take an entry over: {@code OwnedHeap.cacheEntryFor}.
 */
public final class PerThread<T> {
    /** Slots of the table (a power of two): threads whose ids differ modulo this never share a slot. */
    public static final int SLOTS = 256;

    private record Holder<T>(Thread owner, T value) {
    }

    /** New threads between two sweeps of {@link #byThread} for ended threads (or half its entries, if more). */
    static final int SWEEP_EVERY = 64;

    private final Supplier<? extends T> initial;
    /** Every thread that asked and was not forgotten or swept since it ended; only its own thread adds an entry. */
    private final ConcurrentHashMap<Thread, Holder<T>> byThread = new ConcurrentHashMap<>();
    /** Entries added since the last sweep. */
    private final AtomicInteger added = new AtomicInteger();
    private final AtomicInteger sweeps = new AtomicInteger();
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
            // get and put, not computeIfAbsent: the supplier registers its heap under the registry's lock, which is
            // also held around forget's remove, and a map computation must not wait on it
            h = new Holder<>(t, initial.get());
            byThread.put(t, h);
            int n = added.incrementAndGet();
            if (n >= Math.max(SWEEP_EVERY, byThread.size() / 2) && added.compareAndSet(n, 0)) { // one thread sweeps
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
     * Drops the table's references to the value of {@code ended}, a thread that has ended (its heap was reclaimed):
     * its entry in the map, and its slot, which would otherwise keep the value until another thread takes it.
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
        sweeps.incrementAndGet();
        byThread.keySet().removeIf(th -> !th.isAlive());
    }

    /** Sweeps so far (tests). */
    int sweeps() {
        return sweeps.get();
    }

    /** Threads this table holds a value for now (tests). */
    int threadsHeld() {
        return byThread.size();
    }

    private static int slot(Thread t) {
        return (int) t.threadId() & (SLOTS - 1);
    }
}
