package dev.slabworks.api.heap;

import dev.slabworks.api.PerThread;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every per-thread heap of one allocator whose thread may still be running, so that the heaps of threads
 * that have ended can be found and reclaimed by a live thread. Slow paths only: a heap registers once,
 * when its thread first uses the allocator; scans take this registry's lock.
 *
 * <p>A heap leaves the registry exactly once, inside {@link #takeDead} under the lock, so two threads
 * reclaiming at the same time never get the same dead heap. {@code !thread.isAlive()} gives a
 * happens-before edge from everything the ended thread did (JLS 17.4.4), so the reclaiming thread sees
 * the heap's plain fields as that thread left them.
 *
 * <p>When to scan without being asked ({@link #scanDue}): when a heap was registered since the last scan
 * (thread churn: a new thread often replaces one that ended), and otherwise every {@link #SCAN_EVERY}-th
 * time a heap asks (e.g. every 64th SuperSlab or segment it takes). So a program whose threads come and go
 * keeps at most the heaps of threads alive now plus those ended since the last scan, even if nobody calls
 * {@code trim()}.
 *
 * @param <H> the strategy's heap type
 */
public final class ThreadHeapRegistry<H> {
    /** A heap scans for dead heaps at least every this many slow-path acquisitions (a power of 2). */
    public static final int SCAN_EVERY = 64;

    private final Function<? super H, Thread> ownerOf;
    /** The allocator's look-up of a thread's heap, told when a heap is reclaimed (null when there is none). */
    private final PerThread<?> lookup;
    private final List<H> heaps = new ArrayList<>();
    /** An unmodifiable copy of {@link #heaps}, made when it changes (rarely), so {@link #snapshot} copies nothing. */
    private volatile List<H> published = List.of();
    /** Heaps ever registered; written under the lock, read racily by {@link #scanDue}. */
    private volatile int registered;
    /** {@link #registered} as the last scan saw it. */
    private volatile int registeredAtLastScan;
    private long reclaimed;
    /**
     * Whether other threads had freed into the heap reclaimed last ({@link #noteReclaimed}): a hint for new heaps.
     * Under thread churn whose successors free what their predecessors allocated (larson), every heap becomes one
     * that others free into, and a new one that expects it starts its slabs shared. Racy by design: a stale read
     * costs a handshake, or one heap's frees a CAS each, nothing else.
     */
    private volatile boolean endedHeapsFreedInto;

    /** @param ownerOf the thread a heap belongs to (a final field of the heap) */
    public ThreadHeapRegistry(Function<? super H, Thread> ownerOf) {
        this(ownerOf, null);
    }

    /**
     * @param ownerOf the thread a heap belongs to (a final field of the heap)
     * @param lookup  the look-up that finds each thread's heap, which forgets a heap when it is reclaimed
     */
    public ThreadHeapRegistry(Function<? super H, Thread> ownerOf, PerThread<?> lookup) {
        this.ownerOf = ownerOf;
        this.lookup = lookup;
    }

    public synchronized void register(H heap) {
        heaps.add(heap);
        registered++;
        published = List.copyOf(heaps);
    }

    /** Cheap (two volatile reads): whether a heap may have ended since the last scan, or the caller's turn came. */
    public boolean scanDue(int acquisitionsByHeap) {
        return registered != registeredAtLastScan || (acquisitionsByHeap & (SCAN_EVERY - 1)) == 0;
    }

    /** Removes and returns the heaps whose thread has ended; each is returned to exactly one caller. */
    public synchronized List<H> takeDead() {
        registeredAtLastScan = registered;
        List<H> dead = null;
        for (int i = heaps.size() - 1; i >= 0; i--) {
            H h = heaps.get(i);
            Thread owner = ownerOf.apply(h);
            if (!owner.isAlive()) {
                if (lookup != null) {
                    lookup.forget(owner);
                }
                if (dead == null) {
                    dead = new ArrayList<>();
                }
                dead.add(h);
                heaps.set(i, heaps.getLast());
                heaps.removeLast();
            }
        }
        if (dead == null) {
            return List.of();
        }
        reclaimed += dead.size();
        published = List.copyOf(heaps);
        return dead;
    }

    /**
     * The heaps registered and not reclaimed now, unmodifiable (slow paths: close, the first remote free into a
     * slab). No copy: the first remote free into each new slab asks, under remote-free load often. The lock
     * stays: it orders the caller's earlier writes (close's flag, a slab's SHARING mark) before the plain reads
     * of a heap that registers after it, which the handshake relies on for heaps missing from the list.
     */
    public synchronized List<H> snapshot() {
        return published;
    }

    /** Heaps registered and not reclaimed. */
    public synchronized int size() {
        return heaps.size();
    }

    /** A reclaiming thread, per heap it took from {@link #takeDead}: whether other threads had freed into it. */
    public void noteReclaimed(boolean freedInto) {
        if (endedHeapsFreedInto != freedInto) {
            endedHeapsFreedInto = freedInto;
        }
    }

    /** Whether other threads had freed into the heap reclaimed last (false before the first). */
    public boolean endedHeapsFreedInto() {
        return endedHeapsFreedInto;
    }

    /** Heaps reclaimed so far. */
    public synchronized long reclaimed() {
        return reclaimed;
    }
}
