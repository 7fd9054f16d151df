package dev.slabworks.mimalloc;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.KnobTable;

import java.util.List;

/** The knobs of strategy-mimalloc-like alone: segment and page sizes. The LRU and purge knobs it shares are api's ({@link Knob}). */
public final class MimallocLikeKnobs {
    private static final KnobTable TABLE = new KnobTable();

    public static final Knob SEGMENT_SIZE = TABLE.size("segment.size", "4MiB").range(64 << 10, 1L << 30).powerOfTwo().unit("bytes")
            .meaning("Size and alignment of a mimalloc-like segment; a power of two.");
    public static final Knob PAGE_SIZE = TABLE.size("page.size", "64KiB").range(64 << 10, 32L << 20).powerOfTwo().unit("bytes")
            .meaning("Size of a mimalloc-like small page inside a segment; a power of two no larger than segment.size "
                    + "(from two blocks of the largest size class to the 32 MiB a page's block index divides exactly).");
    public static final Knob PAGE_MEDIUM_SIZE = TABLE.size("page.medium.size", "2MiB").range(64 << 10, 32L << 20).powerOfTwo().unit("bytes")
            .meaning("Size of a mimalloc-like medium page, for the classes a small page holds fewer than "
                    + "page.small.min.blocks blocks of; a power of two, at least page.size, capped at segment.size "
                    + "(equal to page.size: no medium pages).");
    public static final Knob PAGE_SMALL_MIN_BLOCKS = TABLE.integer("page.small.min.blocks", 256).range(1, 1 << 20).unit("blocks")
            .meaning("A mimalloc-like size class goes on medium pages when a small page would hold fewer of its blocks "
                    + "than this (at 64 KiB pages: blocks above 256 bytes).");

    private MimallocLikeKnobs() {
    }

    /** These knobs, in declaration order. */
    public static List<Knob> all() {
        return TABLE.knobs();
    }
}
