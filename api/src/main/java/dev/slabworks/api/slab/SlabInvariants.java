package dev.slabworks.api.slab;

import dev.slabworks.api.os.Memory;

import static dev.slabworks.api.slab.Slab.FREE;
import static dev.slabworks.api.slab.Slab.REMOTE;

/**
 * The check behind {@link Slab#checkInvariants} (debug mode; O(capacity)), given the slab's owner-side fields: the
 * invariants listed in {@link Slab}'s class comment, the first broken one named in an {@link IllegalStateException}.
 * The remote stack is not walked: other threads push onto it meanwhile.
 */
final class SlabInvariants {
    private SlabInvariants() {
    }

    static void check(Slab s, long localFree, int takenRemote, int bump, int used, byte[] state, int[][] links) {
        int capacity = s.capacity();
        int freeLength = freeListLength(s, localFree, bump, state);
        if (freeLength + (capacity - bump) != capacity - used) {
            throw new IllegalStateException("free " + freeLength + " + uncarved " + (capacity - bump)
                    + " != capacity " + capacity + " - used " + used);
        }
        takenLength(s, takenRemote, bump, state, links);
        int allocated = 0;
        for (int i = 0; i < bump; i++) {
            if (state[i] != FREE) {
                allocated++;
            }
        }
        if (allocated > used) {
            throw new IllegalStateException(allocated + " blocks allocated or remote but used is " + used);
        }
    }

    /** The length of the free list from {@code p}, each block carved and FREE, else throws. */
    private static int freeListLength(Slab s, long p, int bump, byte[] state) {
        int n = 0;
        for (; p != 0; p = Memory.getLong(p)) {
            int i = s.indexOf(p);
            if (i < 0 || i >= bump || state[i] != FREE) {
                throw new IllegalStateException("free list holds 0x" + Long.toHexString(p)
                        + ", not a carved block in state " + FREE + (i < 0 || i >= bump ? "" : ": " + state[i]));
            }
            if (++n > s.capacity()) {
                throw new IllegalStateException("free list has a cycle");
            }
        }
        return n;
    }

    /** The length of the taken chain from {@code t} ({@code index + 1}), each block carved and REMOTE, else throws. */
    private static int takenLength(Slab s, int t, int bump, byte[] state, int[][] links) {
        int n = 0;
        for (; t != 0; t = RemoteLinks.next(links, t - 1)) {
            int i = t - 1;
            if (i < 0 || i >= bump || state[i] != REMOTE) {
                throw new IllegalStateException("taken chain holds block " + i + ", not a carved block in state "
                        + REMOTE + (i < 0 || i >= bump ? "" : ": " + state[i]));
            }
            if (++n > s.capacity()) {
                throw new IllegalStateException("taken chain has a cycle");
            }
        }
        return n;
    }
}
