package dev.slabworks.api;

import java.util.function.Supplier;

/**
 * A per-thread value with a one-compare fast path for the thread that asked last: the
 * single-thread case costs a field load and a compare against {@code Thread.currentThread()}
 * (an intrinsic), not a {@link ThreadLocal} hash probe.
 *
 * <p>The cached holder is published racily; that is safe because its fields are final and a
 * thread only ever uses a holder whose owner is itself.
 *
 * <p>The strategies keep the same one-compare cache on their own heaps ({@code lastHeap}, one load
 * shorter) and leave their fast paths for an out-of-line method when it misses, one that returns and
 * never rejoins them. Why: the JIT compiles the workload's loop while one allocator has served one
 * thread and prunes the miss; the next fresh allocator's first call takes it (the workbench makes one
 * per repetition), and a miss that rejoined the fast path was recompiled with {@link #get} merged into
 * it, ~10 % slower on random-mixed (c) in the workbench (measured 2026-11-25 at 2a83c13 and ed12f25;
 * benchmarks/measured/README.md, "A change of heap on a fresh allocator").
 *
 * <p>A miss takes the cache over only {@link #CACHE_TAKES} times per thread. Two threads working at once
 * would otherwise store into it on nearly every call, and each store invalidates, in the other core, the
 * cache line it shares with the owner object's hot fields: under larson, 23 % of superslab's JFR samples
 * were in that path. Past the bound a thread takes the {@link ThreadLocal} look-up and leaves the cache to
 * whichever thread holds it, unless that thread has ended. Strategies bound their own {@code lastHeap} the same
 * way ({@code OwnedHeap.mayTakeCache}).
 */
public final class PerThread<T> {
    /** How many times one thread's miss may store into a shared one-compare cache (see the class comment). */
    public static final int CACHE_TAKES = 64;

    /**
     * The policy of both one-compare caches, this class's and the strategies' {@code lastHeap}: whether a thread
     * that has taken the cache {@code takes} times may take it from a holder owned by {@code holder} (null when the
     * cache is empty or holds a placeholder). Within the bound, or when nobody else uses the holder.
     */
    public static boolean mayTake(int takes, Thread holder) {
        return takes < CACHE_TAKES || holder == null || !holder.isAlive();
    }

    private static final class Holder<T> {
        final Thread owner;
        final T value;
        /** Times this thread took {@link #last}; its own field. */
        int takes;

        Holder(Thread owner, T value) {
            this.owner = owner;
            this.value = value;
        }
    }

    private final ThreadLocal<Holder<T>> local;
    private Holder<T> last;

    public PerThread(Supplier<? extends T> initial) {
        this.local = ThreadLocal.withInitial(() -> new Holder<>(Thread.currentThread(), initial.get()));
    }

    public T get() {
        Holder<T> h = last;
        if (h != null && h.owner == Thread.currentThread()) {
            return h.value;
        }
        return slow();
    }

    private T slow() {
        Holder<T> h = local.get();
        Holder<T> cached = last;
        if (mayTake(h.takes, cached == null ? null : cached.owner)) {
            if (h.takes < CACHE_TAKES) {
                h.takes++;
            }
            last = h;
        }
        return h.value;
    }
}
