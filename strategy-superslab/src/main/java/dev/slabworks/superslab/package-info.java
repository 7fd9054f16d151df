/**
 * Per-size-class SuperSlabs with an LRU of empty ones, prewarm and a per-thread front cache: the seed
 * report's allocator, configurable so its pathology and its fixes run side by side. Entry points:
 * {@link dev.slabworks.superslab.SuperSlabFactory} (registered as {@code superslab} by
 * {@link dev.slabworks.superslab.SuperSlabModule}); the design is in the class comments of
 * {@code SuperSlabAllocator} (paths, modes, ownership), {@code SuperSlab} (layout),
 * {@code SuperSlabPool} (LRU, prewarm) and {@code ThreadHeap} (per-thread slab lists).
 */
package dev.slabworks.superslab;
