package dev.slabworks.sharedpool;

import dev.slabworks.api.direct.DirectFront;
import dev.slabworks.api.heap.ThreadHeapRegistry;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.slab.Slab;

/**
 * How the heap of a thread that has ended is reclaimed into a live thread's heap (docs/DESIGN.md §10).
 *
 * <p><b>Threads that end.</b> Every heap is in a {@link ThreadHeapRegistry}. A live thread reclaims the
 * heaps of ended threads ({@link #reclaimDeadHeaps}) on {@code trim()} and, opportunistically, on the
 * slow path where it is about to take a new slab from the pool ({@link ThreadHeapRegistry#scanDue}).
 * {@link #handOver} drains the dead heap's front cache into its slabs, collects their remote frees,
 * gives the empty ones back to the pool (so their SuperSlab can reach the LRU, be purged, be unmapped)
 * and moves the others to the live heap, which from then on frees into them locally, collects their
 * remote frees and gives them back when they empty. The registry hands each dead heap to one thread
 * only, and {@code !thread.isAlive()} makes everything the ended thread wrote visible to it.
 *
 * <p><b>Why a change of owner is safe for remote freers.</b> The free path compares {@code slab.owner}
 * with the freeing thread's OWN heap. A slab's owner is written only (a) when the pool assigns it, before
 * any block is handed out, (b) to the adopting heap, by the adopting thread, and (c) to null when it goes
 * back to the pool; (b) and (c) may be done by a live thread for a dead heap's slab, never for a slab of
 * a live heap other than its own. So {@code owner == myHeap} holds for a thread exactly when its heap
 * owns the slab now (it wrote that value itself, earlier in program order); any stale value another
 * thread reads racily (the dead heap, null) is not its heap and sends its block down the remote path,
 * whose CAS (ALLOCATED to REMOTE) and Treiber push belong to the slab, not to a heap. A pushed block
 * counts in {@code used} until someone collects it, so a slab is never given back with a block in its
 * remote stack. The adopter writes {@code owner} BEFORE it collects the remote stack (a volatile
 * getAndSet): a push ordered before that collect is collected by it; a push ordered after it reads
 * {@code remoteHead} after that write, so it happens-after the owner write and the pusher raises
 * {@code remotePending} of the adopter (or of a later owner), never only that of the dead heap. So no
 * remote free is lost and none waits for more than the adopter's next slow path.
 */
final class HeapHandOver {
    private HeapHandOver() {
    }

    /** Reclaims the heap of every thread that has ended into {@code adopter}, the calling thread's heap. */
    static void reclaimDeadHeaps(ThreadHeap adopter) {
        for (ThreadHeap dead : adopter.registry.takeDead()) {
            adopter.registry.noteReclaimed(dead.freedInto());
            handOver(dead, adopter);
            DirectFront.giveBack(dead.directFront);
            dead.stats.retire(); // nothing writes its row any more
            adopter.spares.give(dead.front); // drained, and nobody uses the dead heap again
        }
    }

    /**
     * Reclaims {@code dead}, whose thread has ended, into {@code adopter}, the calling thread's heap (see the
     * class comment): the front cache's blocks go back into their slabs, then every slab collects its
     * remote frees and goes back to the pool if empty, or to {@code adopter} if not. Afterwards {@code dead}
     * owns nothing and holds nothing. Its stats row counts what is done here: no other thread writes it now
     * (remote freers write their own rows).
     */
    static void handOver(ThreadHeap dead, ThreadHeap adopter) {
        dead.front.drain(dead, dead.stats); // flush() may give back PARTIAL or FULL slabs that empty
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            SlabSlot c = dead.current[cls];
            dead.current[cls] = null;
            if (c != null) {
                handOver(dead, c, adopter);
            }
            SlabSlot s;
            while ((s = dead.partial[cls].pollFirst()) != null) {
                handOver(dead, s, adopter);
            }
            while ((s = dead.full[cls].pollFirst()) != null) {
                handOver(dead, s, adopter);
            }
        }
        dead.clearRemotePending();
    }

    private static void handOver(ThreadHeap dead, SlabSlot slot, ThreadHeap adopter) {
        Slab s = slot.slab;
        s.owner = adopter; // before the collect: see the class comment
        s.collectRemote();
        slot.current = false;
        if (s.isEmpty()) {
            dead.returnToPool(slot);
        } else {
            adopter.adopt(slot);
        }
    }
}
