package dev.slabworks.api.mid;

/** Where the mid path's blocks get their memory (knob {@code mid.policy}). */
public enum MidPolicy {
    /** Each block is a mapping of its own, unmapped when it is freed: the seed's mid path. */
    BLOCK,
    /** The blocks of a size class are carved from chunks of {@code mid.chunk.size} bytes kept for reuse. */
    POOLED
}
