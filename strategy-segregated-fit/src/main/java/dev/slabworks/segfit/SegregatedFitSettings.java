package dev.slabworks.segfit;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.validate.ValidationMode;

/**
 * Every knob the segregated-fit strategy reads, read once from the snapshot it is created with. The knob table
 * checks each value's range; a strategy whose knobs must also agree with each other checks that here, in the
 * record's constructor, before anything is mapped.
 */
record SegregatedFitSettings(
        long chunkSize,
        int emptyChunks,
        ValidationMode validation,
        int mincoreCacheEntries,
        int directCacheCount,
        long directCacheBytes,
        int reallocGrowth,
        boolean debugChecks) {

    static SegregatedFitSettings from(Knobs knobs) {
        return new SegregatedFitSettings(
                knobs.longValue(SegregatedFitKnobs.CHUNK_SIZE),
                knobs.intValue(SegregatedFitKnobs.EMPTY_CHUNKS),
                ValidationMode.from(knobs.text(Knob.VALIDATION), ValidationMode.REGISTRY),
                knobs.intValue(Knob.MINCORE_CACHE_ENTRIES),
                knobs.intValue(Knob.DIRECT_CACHE_COUNT),
                knobs.longValue(Knob.DIRECT_CACHE_BYTES),
                knobs.intValue(Knob.REALLOC_GROWTH),
                knobs.flag(Knob.DEBUG_CHECKS));
    }
}
