package dev.slabworks.mimalloc;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.mid.MidConfig;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.CloseReport;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.validate.ValidationMode;

/**
 * Every knob the mimalloc-like strategy reads, read and checked once from the snapshot it is created with.
 * {@code mediumPageSize} is {@code page.medium.size} capped at the segment size: a small-segment configuration
 * keeps working, with fewer or no medium pages.
 */
record MimallocLikeSettings(
        long segmentSize,
        long pageSize,
        long mediumPageSize,
        int smallPageMinBlocks,
        long purgeDelayMs,
        long purgeDelayMaxMs,
        Advice purgeAdvice,
        int lruSize,
        boolean lruDebug,
        ValidationMode validation,
        int mincoreCacheEntries,
        int directCacheCount,
        long directCacheBytes,
        long directFrontBytes,
        int reallocGrowth,
        MidConfig mid,
        boolean debugChecks) {

    MimallocLikeSettings {
        if (pageSize < 2L * SizeClasses.MAX_SIZE || pageSize > SizeClasses.MAX_DIVIDEND) {
            throw new IllegalArgumentException(MimallocLikeKnobs.PAGE_SIZE.key() + " must be between " + 2 * SizeClasses.MAX_SIZE
                    + " (two blocks of the largest class) and " + SizeClasses.MAX_DIVIDEND + ": " + pageSize);
        }
        if (pageSize > segmentSize) {
            throw new IllegalArgumentException(MimallocLikeKnobs.PAGE_SIZE.key() + " (" + pageSize + ") exceeds "
                    + MimallocLikeKnobs.SEGMENT_SIZE.key() + " (" + segmentSize + ")");
        }
        if (mediumPageSize < pageSize || mediumPageSize > SizeClasses.MAX_DIVIDEND) {
            throw new IllegalArgumentException(MimallocLikeKnobs.PAGE_MEDIUM_SIZE.key() + " must be between " + MimallocLikeKnobs.PAGE_SIZE.key()
                    + " (" + pageSize + ") and " + SizeClasses.MAX_DIVIDEND + ": " + mediumPageSize);
        }
    }

    static MimallocLikeSettings from(Knobs knobs) {
        long segmentSize = knobs.longValue(MimallocLikeKnobs.SEGMENT_SIZE);
        ValidationMode validation = ValidationMode.from(knobs.text(Knob.VALIDATION), ValidationMode.MINCORE_CACHED);
        return new MimallocLikeSettings(
                segmentSize,
                knobs.longValue(MimallocLikeKnobs.PAGE_SIZE),
                Math.min(knobs.longValue(MimallocLikeKnobs.PAGE_MEDIUM_SIZE), segmentSize),
                knobs.intValue(MimallocLikeKnobs.PAGE_SMALL_MIN_BLOCKS),
                knobs.longValue(Knob.PURGE_DELAY_MS),
                knobs.longValue(Knob.PURGE_DELAY_MAX_MS),
                knobs.choice(Knob.PURGE_ADVICE, Advice.class),
                knobs.intValue(Knob.SS_LRU_SIZE),
                knobs.flag(Knob.SS_LRU_DEBUG),
                validation,
                knobs.intValue(Knob.MINCORE_CACHE_ENTRIES),
                knobs.intValue(Knob.DIRECT_CACHE_COUNT),
                knobs.longValue(Knob.DIRECT_CACHE_BYTES),
                knobs.longValue(Knob.DIRECT_FRONT_BYTES),
                knobs.intValue(Knob.REALLOC_GROWTH),
                MidConfig.from(knobs, validation),
                knobs.flag(Knob.DEBUG_CHECKS));
    }

    /** The lines the diagnostic knobs ask for at close: the LRU of empty segments; no prewarm, no front cache here. */
    void report(CloseReport report) {
        if (lruDebug) {
            report.lru(lruSize, "segments", Stat.SEGMENTS_PEAK);
        }
    }
}
