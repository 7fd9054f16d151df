package dev.slabworks.superslab;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.mid.MidConfig;
import dev.slabworks.api.stats.CloseReport;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.validate.ValidationMode;

/** Every knob the superslab strategy reads, read once from the snapshot it is created with. */
record SuperSlabSettings(
        long ssSize,
        int lruSize,
        int lruMax,
        boolean lruDebug,
        int prewarm,
        boolean prewarmDebug,
        boolean reusePartial,
        boolean startShared,
        int frontCapacity,
        int frontRefill,
        boolean frontStats,
        boolean frontDirect,
        int frontRemote,
        ValidationMode validation,
        int mincoreCacheEntries,
        int directCacheCount,
        long directCacheBytes,
        long directFrontBytes,
        int reallocGrowth,
        MidConfig mid,
        boolean debugChecks) {

    static SuperSlabSettings from(Knobs knobs) {
        ValidationMode validation = ValidationMode.from(knobs.text(Knob.VALIDATION), ValidationMode.REGISTRY);
        return new SuperSlabSettings(
                knobs.longValue(Knob.SS_SIZE),
                knobs.intValue(Knob.SS_LRU_SIZE),
                knobs.intValue(SuperSlabKnobs.SS_LRU_MAX),
                knobs.flag(Knob.SS_LRU_DEBUG),
                knobs.intValue(Knob.SS_PREWARM),
                knobs.flag(Knob.SS_PREWARM_DEBUG),
                knobs.flag(SuperSlabKnobs.SS_REUSE_PARTIAL),
                knobs.flag(Knob.SLAB_START_SHARED),
                knobs.intValue(Knob.FC_CAP),
                knobs.intValue(Knob.FC_REFILL),
                knobs.flag(Knob.FRONT_STATS),
                knobs.flag(Knob.TINY_FRONT_DIRECT),
                knobs.intValue(Knob.FC_REMOTE),
                validation,
                knobs.intValue(Knob.MINCORE_CACHE_ENTRIES),
                knobs.intValue(Knob.DIRECT_CACHE_COUNT),
                knobs.longValue(Knob.DIRECT_CACHE_BYTES),
                knobs.longValue(Knob.DIRECT_FRONT_BYTES),
                knobs.intValue(Knob.REALLOC_GROWTH),
                MidConfig.from(knobs, validation),
                knobs.flag(Knob.DEBUG_CHECKS));
    }

    /** Whether allocate and free go through the front cache: front-direct on and a capacity above 0. */
    boolean useFront() {
        return frontDirect && frontCapacity > 0;
    }

    /** Blocks of a class below which a free of another heap's block goes into the front cache ({@code fc.remote}). */
    int holdRemote() {
        return useFront() ? Math.min(frontRemote, frontCapacity) : 0;
    }

    /** The lines the diagnostic knobs ask for at close ({@code ss.lru.debug}, {@code ss.prewarm.debug}, {@code front.stats}). */
    void report(CloseReport report, int prewarmedNeverTaken, int lruRoomReached) {
        if (lruDebug) {
            report.lru(lruSize, lruRoomReached, "SuperSlabs", Stat.SUPERSLABS_PEAK);
        }
        if (prewarmDebug) {
            report.prewarm("SuperSlabs", ssSize, prewarmedNeverTaken);
        }
        if (frontStats) {
            report.front(frontCapacity, frontRefill, frontDirect);
        }
    }
}
