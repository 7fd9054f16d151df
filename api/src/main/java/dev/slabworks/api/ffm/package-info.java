/**
 * Strategies as citizens of {@code java.lang.foreign}: {@link dev.slabworks.api.ffm.AllocatorSegments} makes any
 * {@link dev.slabworks.api.Allocator} a {@link java.lang.foreign.SegmentAllocator} whose segments can be freed one
 * by one, and {@link dev.slabworks.api.ffm.AllocatorArena} an {@link java.lang.foreign.Arena} whose {@code close()}
 * frees what it allocated. Plain FFM code ({@code arena.allocate(layout)}, {@code allocateFrom(...)}, generated
 * bindings that take a {@code SegmentAllocator}) then runs on a slabworks strategy with bounds-checked segments.
 */
package dev.slabworks.api.ffm;
