/**
 * Phase 12: SuperSlabs shared by all size classes, slabs assigned on demand (DESIGN.md section 1,
 * Box 1). Registered with the harness as {@code shared-pool} by {@link dev.slabworks.sharedpool.SharedPoolModule}.
 *
 * <ul>
 *   <li>{@link dev.slabworks.sharedpool.SharedPoolAllocator}: the SPI, the fast paths, validation.</li>
 *   <li>{@code SlabPool}: fullest-first placement, the LRU ({@link dev.slabworks.api.superslab.SuperSlabLru},
 *       shared with strategy-superslab), lazy purging.</li>
 *   <li>{@code SharedSuperSlab} / {@code SlabSlot}: the layout of one SuperSlab and its slab positions.</li>
 *   <li>{@code ThreadHeap}: one thread's front cache ({@link dev.slabworks.api.front.FrontCache}) and its
 *       slabs ({@link dev.slabworks.api.slab.Slab}) per class: current, partial, full.</li>
 * </ul>
 *
 * <p>What triggers purging: a slab given back to the pool is due for {@code madvise(PURGE_ADVICE)}
 * {@code PURGE_DELAY_MS} later; due purges run whenever the pool's lock is taken (a slab assigned
 * or given back) and on {@code SharedPoolAllocator.trim()}. No background thread: an idle allocator
 * purges nothing until one of those happens.
 *
 * <p>Stats: {@code SUPERSLABS} counts every mapped SuperSlab, in use or in the LRU (both are
 * mapped); {@code MAPPED_BYTES} counts reservations, so an LRU'd SuperSlab counts in full even when
 * all its pages are purged. A resident-bytes figure would need {@code mincore} over each SuperSlab
 * (one call per SuperSlab with a vector of pages) or {@code /proc/self/smaps} for the ranges; not done.
 *
 * <p>Known gap: slabs owned by a thread that has ended stay assigned to its heap (and its front
 * cache keeps their blocks) until the allocator closes; frees of their blocks from other threads
 * still work (remote stacks) but the memory is not reused. {@code close()} unmaps everything.
 */
package dev.slabworks.sharedpool;
