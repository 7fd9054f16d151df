package dev.slabworks.api;

import dev.slabworks.api.os.Mapping;

/**
 * The Java-side descriptor of one mapping an allocator owns (a SuperSlab, a segment, a direct
 * block). Descriptors live on the Java heap, so classifying a pointer reads only them and never
 * the mapped memory: a stale descriptor of a region already unmapped is still safe to read.
 */
public abstract class Region {
    protected final Mapping mapping;

    protected Region(Mapping mapping) {
        this.mapping = mapping;
    }

    public final Mapping mapping() {
        return mapping;
    }

    /** First usable byte: aligned as the strategy asked. */
    public final long base() {
        return mapping.address();
    }

    public final long size() {
        return mapping.size();
    }

    public final boolean contains(long address) {
        return address >= mapping.address() && address - mapping.address() < mapping.size();
    }
}
