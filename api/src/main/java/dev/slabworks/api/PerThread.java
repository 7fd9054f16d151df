package dev.slabworks.api;

import java.util.function.Supplier;

/**
 * A per-thread value found by a direct-mapped table indexed by the thread's id: a load of the slot and a
 * compare of its owner against {@code Thread.currentThread()} (an intrinsic), not a {@link ThreadLocal} hash
 * probe. A thread whose slot holds another live thread's value (their ids collide modulo {@link #SLOTS}) uses
 * the {@link ThreadLocal}, the source of truth, and leaves the slot alone; a slot whose thread has ended goes
 * to the next thread that asks.
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

    private final ThreadLocal<Holder<T>> local;
    @SuppressWarnings("unchecked")
    private final Holder<T>[] slots = (Holder<T>[]) new Holder<?>[SLOTS];

    public PerThread(Supplier<? extends T> initial) {
        this.local = ThreadLocal.withInitial(() -> new Holder<>(Thread.currentThread(), initial.get()));
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
        Holder<T> h = local.get();
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
        int i = slot(ended);
        Holder<T> occupant = slots[i];
        if (occupant != null && occupant.owner == ended) {
            slots[i] = null;
        }
    }

    private static int slot(Thread t) {
        return (int) t.threadId() & (SLOTS - 1);
    }
}
