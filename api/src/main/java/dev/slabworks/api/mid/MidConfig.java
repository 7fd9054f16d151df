package dev.slabworks.api.mid;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.validate.ValidationMode;

/**
 * What the mid path runs with: requests above {@code smallMax} and up to {@link SizeClasses#MAX_SIZE} take it.
 * Read once from the knobs by {@link #from}, for all three strategies alike (the one building block besides
 * {@code stats} that reads knobs itself, so that its six values are not read three times).
 *
 * @param smallMax     the largest request the size classes serve ({@code small.max}); {@code MAX_SIZE}: no mid path
 * @param policy       {@code mid.policy}
 * @param chunkSize    {@code mid.chunk.size}, for {@link MidPolicy#POOLED}
 * @param madvise      {@code mid.madvise}: a freed block's whole pages go back with {@code MADV_DONTNEED}
 * @param validation   {@code mid.validation} with AUTO resolved to the strategy's own mode
 * @param cacheEntries {@code mincore.cache.entries}, for MINCORE_CACHED
 */
public record MidConfig(long smallMax, MidPolicy policy, long chunkSize, boolean madvise, ValidationMode validation,
                        int cacheEntries) {
    public MidConfig {
        if (smallMax < 0 || smallMax > SizeClasses.MAX_SIZE) {
            throw new IllegalArgumentException("small.max " + smallMax + " must lie in [0, " + SizeClasses.MAX_SIZE + "]");
        }
        if (policy == MidPolicy.POOLED && chunkSize < SizeClasses.MAX_SIZE + MidPath.HEADER) {
            throw new IllegalArgumentException("mid.chunk.size " + chunkSize + " cannot hold a "
                    + SizeClasses.MAX_SIZE + "-byte block and its header");
        }
    }

    /** The mid knobs of {@code knobs}; {@code strategyValidation} is what {@code mid.validation=AUTO} follows. */
    public static MidConfig from(Knobs knobs, ValidationMode strategyValidation) {
        return new MidConfig(knobs.longValue(Knob.SMALL_MAX), knobs.choice(Knob.MID_POLICY, MidPolicy.class),
                knobs.longValue(Knob.MID_CHUNK_SIZE), knobs.flag(Knob.MID_MADVISE),
                ValidationMode.from(knobs.text(Knob.MID_VALIDATION), strategyValidation),
                knobs.intValue(Knob.MINCORE_CACHE_ENTRIES));
    }

    /** Whether any request takes the mid path. */
    public boolean enabled() {
        return smallMax < SizeClasses.MAX_SIZE;
    }
}
