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

    private SharedPoolKnobs() {
    }

    /** These knobs, in declaration order. */
    public static List<Knob> all() {
        return TABLE.knobs();
    }
}
