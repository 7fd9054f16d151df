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
 */
public final class PerThread<T> {
    private record Holder<T>(Thread owner, T value) {
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
        last = h;
        return h.value;
    }
}
