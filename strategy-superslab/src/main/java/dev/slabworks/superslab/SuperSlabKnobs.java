package dev.slabworks.superslab;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.KnobTable;

import java.util.List;

/** The knobs of strategy-superslab alone; the SuperSlab, LRU and front-cache knobs it shares are api's ({@link Knob}). */
public final class SuperSlabKnobs {
    private static final KnobTable TABLE = new KnobTable();

    public static final Knob SS_REUSE_PARTIAL = TABLE.flag("ss.reuse.partial", true)
            .meaning("A thread goes back to its partly free SuperSlabs before taking a new one; false is the seed's "
                    + "policy (always a new one), whose emptied SuperSlabs make the churn.");
    public static final Knob SS_LRU_MAX = TABLE.integer("ss.lru.max", 64).range(0, 1 << 16).unit("SuperSlabs")
            .meaning("The most the LRU of empty SuperSlabs grows to under churn: a SuperSlab mapped after the LRU "
                    + "unmapped one since the last such mapping doubles its room, and room no take used is given back "
                    + "down to ss.lru.size. At or below ss.lru.size, or with ss.lru.size 0, the LRU keeps ss.lru.size.");

    private SuperSlabKnobs() {
    }

    /** These knobs, in declaration order. */
    public static List<Knob> all() {
        return TABLE.knobs();
    }
}
