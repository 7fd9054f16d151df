package dev.slabworks.sharedpool;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.KnobTable;

import java.util.List;

/** The knobs of strategy-shared-pool alone; the SuperSlab, LRU, front-cache and purge knobs it shares are api's ({@link Knob}). */
public final class SharedPoolKnobs {
    private static final KnobTable TABLE = new KnobTable();

    public static final Knob SLAB_SIZE = TABLE.size("slab.size", "64KiB").range(32 << 10, 32L << 20).powerOfTwo().unit("bytes")
            .meaning("Size of a slab inside a shared SuperSlab; a power of two no larger than ss.size (from one block of "
                    + "the largest size class to the 32 MiB a slab's block index divides exactly).");
    public static final Knob SLAB_START_SHARED = TABLE.flag("slab.start.shared", true)
            .meaning("Start a slab shared (its owner's frees CAS from the first, and the first free from another thread "
                    + "waits in no membarrier handshake) once another thread has freed into its heap's slabs or into "
                    + "its slot's last slab; false: every slab starts private and each first remote free waits.");

    private SharedPoolKnobs() {
    }

    /** These knobs, in declaration order. */
    public static List<Knob> all() {
        return TABLE.knobs();
    }
}
