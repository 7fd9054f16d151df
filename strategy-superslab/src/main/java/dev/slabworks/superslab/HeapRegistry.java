package dev.slabworks.superslab;

import java.util.ArrayList;
import java.util.List;

/**
 * Every {@link ThreadHeap} of one allocator whose thread may still be running, so that the heaps of
 * threads that have ended can be found and reclaimed ({@link ThreadHeap#handOverTo}). Slow paths only:
 * a heap registers once, when its thread first uses the allocator; scans take this registry's lock.
 *
 * <p>A heap leaves the registry exactly once, inside {@link #takeDead} under the lock, so two threads
 * reclaiming at the same time never get the same dead heap. {@code !thread.isAlive()} gives a
 * happens-before edge from everything the ended thread did (JLS 17.4.4), so the reclaiming thread sees
 * the heap's plain fields, lists and slabs as that thread left them.
 *
 * <p>When to scan without being asked ({@link #scanDue}): when a heap was registered since the last scan
 * (thread churn: a new thread often replaces one that ended), and otherwise every {@link #SCAN_EVERY}-th
 * SuperSlab a heap takes from the pool. So a program whose threads come and go keeps at most the heaps of
 * threads alive now plus those ended since the last scan, even if nobody calls {@code trim()}.
 */
final class HeapRegistry {
    /** A heap scans for dead heaps at least every this many SuperSlabs it takes from the pool (a power of 2). */
    static final int SCAN_EVERY = 64;

    private final List<ThreadHeap> heaps = new ArrayList<>();
    /** Heaps ever registered; written under the lock, read racily by {@link #scanDue}. */
    private volatile int registered;
    /** {@link #registered} as the last scan saw it. */
    private volatile int registeredAtLastScan;
    private long reclaimed;

    synchronized void register(ThreadHeap h) {
        heaps.add(h);
        registered++;
    }

    /** Cheap (two volatile reads): whether a heap may have ended since the last scan, or the heap's turn came. */
    boolean scanDue(int acquiresByHeap) {
        return registered != registeredAtLastScan || (acquiresByHeap & (SCAN_EVERY - 1)) == 0;
    }

    /** Removes and returns the heaps whose thread has ended. */
    synchronized List<ThreadHeap> takeDead() {
        registeredAtLastScan = registered;
        List<ThreadHeap> dead = null;
        for (int i = heaps.size() - 1; i >= 0; i--) {
            ThreadHeap h = heaps.get(i);
            if (!h.thread.isAlive()) {
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
        return dead;
    }

    /** Reclaims every dead heap into {@code adopter}, which must be the calling thread's heap. */
    void reclaimDead(ThreadHeap adopter) {
        for (ThreadHeap dead : takeDead()) {
            dead.handOverTo(adopter);
        }
    }

    /** Heaps registered and not reclaimed (tests). */
    synchronized int size() {
        return heaps.size();
    }

    /** Heaps reclaimed so far (tests). */
    synchronized long reclaimed() {
        return reclaimed;
    }
}
