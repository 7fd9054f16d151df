package dev.slabworks.api;

import dev.slabworks.api.knobs.Knobs;

/** Makes allocators of one strategy. The harness finds factories through Guice, by {@link #name()}. */
public interface AllocatorFactory {
    /** The registered name: {@code superslab}, {@code shared-pool}, {@code mimalloc-like}, ... */
    String name();

    /** One line saying what the strategy is. */
    String description();

    /** A new allocator configured by {@code knobs}. */
    Allocator create(Knobs knobs);
}
