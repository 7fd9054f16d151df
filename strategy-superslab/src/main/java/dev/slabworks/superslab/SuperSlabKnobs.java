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

    private SuperSlabKnobs() {
    }

    /** These knobs, in declaration order. */
    public static List<Knob> all() {
        return TABLE.knobs();
    }
}
