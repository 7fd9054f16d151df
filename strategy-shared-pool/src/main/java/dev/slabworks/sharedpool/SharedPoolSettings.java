package dev.slabworks.sharedpool;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.mid.MidConfig;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.validate.ValidationMode;

/** Every knob the shared-pool strategy reads, read and checked once from the snapshot it is created with. */
record SharedPoolSettings(
        long superSlabSize,
        long slabSize,
        boolean startShared,
        int lruSize,
        boolean lruDebug,
        int prewarm,
        boolean prewarmDebug,
        int frontCapacity,
        int frontRefill,
        boolean frontStats,
        boolean frontDirect,
        int frontRemote,
        long purgeDelayMs,
        long purgeDelayMaxMs,
        Advice purgeAdvice,
        ValidationMode validation,
        int mincoreCacheEntries,
        int directCacheCount,
        long directCacheBytes,
        long directFrontBytes,
        int reallocGrowth,
        MidConfig mid,
        boolean debugChecks) {

    SharedPoolSettings {
        if (slabSize > superSlabSize || slabSize < SizeClasses.MAX_SIZE || slabSize > SizeClasses.MAX_DIVIDEND) {
            throw new IllegalArgumentException("slab.size " + slabSize + " must lie in [" + SizeClasses.MAX_SIZE
                    + ", min(ss.size " + superSlabSize + ", " + SizeClasses.MAX_DIVIDEND + ")]");
        }
    }

    static SharedPoolSettings from(Knobs knobs) {
        ValidationMode validation = ValidationMode.from(knobs.text(Knob.VALIDATION), ValidationMode.REGISTRY);
        return new SharedPoolSettings(
                knobs.longValue(Knob.SS_SIZE),
                knobs.longValue(SharedPoolKnobs.SLAB_SIZE),
                knobs.flag(Knob.SLAB_START_SHARED),
                knobs.intValue(Knob.SS_LRU_SIZE),
                knobs.flag(Knob.SS_LRU_DEBUG),
                knobs.intValue(Knob.SS_PREWARM),
                knobs.flag(Knob.SS_PREWARM_DEBUG),
                knobs.intValue(Knob.FC_CAP),
                knobs.intValue(Knob.FC_REFILL),
                knobs.flag(Knob.FRONT_STATS),
                knobs.flag(Knob.TINY_FRONT_DIRECT),
                knobs.intValue(Knob.FC_REMOTE),
                knobs.longValue(Knob.PURGE_DELAY_MS),
                knobs.longValue(Knob.PURGE_DELAY_MAX_MS),
                knobs.choice(Knob.PURGE_ADVICE, Advice.class),
                validation,
                knobs.intValue(Knob.MINCORE_CACHE_ENTRIES),
                knobs.intValue(Knob.DIRECT_CACHE_COUNT),
                knobs.longValue(Knob.DIRECT_CACHE_BYTES),
                knobs.longValue(Knob.DIRECT_FRONT_BYTES),
                knobs.intValue(Knob.REALLOC_GROWTH),
                MidConfig.from(knobs, validation),
                knobs.flag(Knob.DEBUG_CHECKS));
    }
}
