package dev.slabworks.segfit;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.KnobTable;

import java.util.List;

/**
 * The knobs of strategy-segregated-fit alone, declared once here and listed by {@link SegregatedFitFactory#knobs()};
 * the validation, direct-mapping and debug knobs it reads are api's ({@link Knob}). The harness registers these under
 * the strategy's name: {@code ./slabworks knobs} lists them, {@code --set segfit.chunk.size=1M} sets one, and a key
 * or environment name some other module declares too is refused.
 */
public final class SegregatedFitKnobs {
    private static final KnobTable TABLE = new KnobTable();

    public static final Knob CHUNK_SIZE = TABLE.size("segfit.chunk.size", "256KiB").range(64 << 10, 32L << 20)
            .powerOfTwo().unit("bytes")
            .meaning("Size and alignment of a segregated-fit chunk, one mapping whose blocks all serve one size class; "
                    + "a power of two from 64 KiB (two blocks of the largest class) to the 32 MiB a block index divides "
                    + "exactly.");
    public static final Knob EMPTY_CHUNKS = TABLE.integer("segfit.empty.chunks", 4).range(0, 1 << 16).unit("chunks")
            .meaning("Emptied segregated-fit chunks kept mapped for reuse by any size class; beyond this an emptied "
                    + "chunk is unmapped at once, and trim() unmaps them all.");

    private SegregatedFitKnobs() {
    }

    /** These knobs, in declaration order. */
    public static List<Knob> all() {
        return TABLE.knobs();
    }
}
