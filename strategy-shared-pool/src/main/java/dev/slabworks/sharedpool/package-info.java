/**
 * Phase 12: SuperSlabs shared by all size classes, slabs assigned on demand (docs/DESIGN.md §1 Box 1,
 * §12). Registered with the harness as {@code shared-pool} by {@link dev.slabworks.sharedpool.SharedPoolModule}.
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
 * the purge delay later ({@code PURGE_DELAY_MS}, lengthened while purges are premature: api's
 * {@code PurgeDelay}); due purges run whenever the pool's lock is taken (a slab assigned
 * or given back) and on {@code SharedPoolAllocator.trim()}. No background thread: an idle allocator
 * purges nothing until one of those happens.
 *
 * <p>Stats: {@code SUPERSLABS} counts every mapped SuperSlab, in use or in the LRU (both are
 * mapped); {@code MAPPED_BYTES} counts reservations, so an LRU'd SuperSlab counts in full even when
 * all its pages are purged. A resident-bytes figure would need {@code mincore} over each SuperSlab
 * (one call per SuperSlab with a vector of pages) or {@code /proc/self/smaps} for the ranges; not done.
 *
 * <p>Threads that end: their heaps are reclaimed by a live thread through the api's
 * {@link dev.slabworks.api.heap.ThreadHeapRegistry}, on {@code trim()} and opportunistically on the
 * slow path that takes a slab from the pool: the front cache goes back into the slabs, empty slabs go
 * back to the pool, the others are adopted by the live thread's heap ({@code ThreadHeap} explains why
 * that is safe for remote frees racing with it). {@code close()} unmaps everything.
 */
package dev.slabworks.sharedpool;
