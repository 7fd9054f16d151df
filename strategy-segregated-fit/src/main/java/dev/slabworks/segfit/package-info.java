/**
 * The template strategy, registered as {@code segregated-fit}: per-size-class free lists in chunks of one class,
 * direct mappings above 32 KiB, every operation behind one lock. Written to be read and copied
 * (docs/writing-a-strategy.md walks through it), not to be fast: {@link dev.slabworks.segfit.SegregatedFitAllocator}
 * says what the lock costs and what the other strategies do instead.
 */
package dev.slabworks.segfit;
