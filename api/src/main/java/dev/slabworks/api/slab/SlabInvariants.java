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

    static void check(Slab s, long localFree, long takenRemote, int bump, int used, byte[] state) {
        int capacity = s.capacity();
        int freeLength = chainLength(s, localFree, FREE, "free list", bump, state);
        if (freeLength + (capacity - bump) != capacity - used) {
            throw new IllegalStateException("free " + freeLength + " + uncarved " + (capacity - bump)
                    + " != capacity " + capacity + " - used " + used);
        }
        chainLength(s, takenRemote, REMOTE, "taken chain", bump, state);
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

    /** The length of the chain from {@code p}, each block carved and in state {@code expected}, else throws. */
    private static int chainLength(Slab s, long p, byte expected, String chain, int bump, byte[] state) {
        int n = 0;
        for (; p != 0; p = Memory.getLong(p)) {
            int i = s.indexOf(p);
            if (i < 0 || i >= bump || state[i] != expected) {
                throw new IllegalStateException(chain + " holds 0x" + Long.toHexString(p)
                        + ", not a carved block in state " + expected + (i < 0 || i >= bump ? "" : ": " + state[i]));
            }
            if (++n > s.capacity()) {
                throw new IllegalStateException(chain + " has a cycle");
            }
        }
        return n;
    }
}
