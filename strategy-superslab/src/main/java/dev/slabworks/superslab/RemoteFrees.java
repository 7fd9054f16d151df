package dev.slabworks.superslab;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.heap.Lifecycle;
import dev.slabworks.api.heap.ThreadHeapRegistry;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.stats.Stat;

/**
 * A free of a block of a SuperSlab another heap owns (or no heap: a late free, rejected by the block's state).
 *
 * <ol>
 *   <li>The first such free into a private slab waits in the {@link Lifecycle} handshake (a {@code membarrier}, then
 *       the owner's operation in flight), after which the owner's frees CAS; a slab that started shared needs none.</li>
 *   <li>It records the evidence ({@link Slab#markFreedRemotely}): the owner heap's later SuperSlabs start shared
 *       ({@link dev.slabworks.api.heap.OwnedHeap#remoteFreeArrived}).</li>
 *   <li>The block goes into the freeing thread's front cache while its class holds fewer than {@code fc.remote}
 *       blocks there ({@link ThreadHeap#flush} gives it back later, in a batch), else to the slab's remote stack. A
 *       block of a SuperSlab its owner adopted from the heap of an ended thread always goes to the remote stack, until
 *       the SuperSlab is formatted again: the thread freeing it most likely inherited the ended thread's work
 *       (larson's next generation), and holding it would keep that thread handing out another heap's blocks, a
 *       RegionMap look-up and a CAS each, instead of letting the SuperSlab empty. Even once the adopter allocates
 *       from it, most of its blocks are still the ended heap's: ending the rule there read 6 % slower on larson
 *       (eight alternating one-JVM runs, outputs not kept), so the adopter's own blocks in it are not held either.</li>
 * </ol>
 * Either way exactly one of two frees of a block wins: both claim it with a CAS on its state.
 */
final class RemoteFrees {
    private final Lifecycle life;
    private final ThreadHeapRegistry<ThreadHeap> heapRegistry;
    /** {@code fc.remote}, bounded by the front cache's capacity (0: never hold). */
    private final int holdRemote;

    RemoteFrees(Lifecycle life, ThreadHeapRegistry<ThreadHeap> heapRegistry, int holdRemote) {
        this.life = life;
        this.heapRegistry = heapRegistry;
        this.holdRemote = holdRemote;
    }

    /** Frees block {@code i} at {@code address} of slab {@code s} of {@code ss}, which heap {@code h} does not own. */
    void free(ThreadHeap h, SuperSlab ss, Slab s, int i, long address) {
        s.beforeRemoteFree(life, h, heapRegistry);
        if (!ss.adopted && s.mayBeHeld(h.front.count(s.sizeClass()), holdRemote)) {
            if (!s.claimFree(i)) { // a CAS on a shared slab
                throw InvalidFreeException.doubleFree(address, h.stats);
            }
            h.stats.freedBlock(s.sizeClass());
            h.stats.increment(Stat.REMOTE_FREES);
            h.stats.increment(Stat.REMOTE_FREES_HELD);
            h.front.push(s.sizeClass(), address, h, h.stats);
            return;
        }
        if (!s.freeRemote(i, address)) {
            throw InvalidFreeException.doubleFree(address, h.stats);
        }
        h.stats.freedBlock(s.sizeClass());
        h.stats.increment(Stat.REMOTE_FREES);
    }
}
