/**
 * Bookkeeping of per-thread heaps shared by the strategies: finding the heaps of threads that have ended,
 * and the lifecycle handshake ({@link dev.slabworks.api.heap.Lifecycle}) that makes {@code close()} and
 * the first remote free into a slab safe against operations in flight on other threads.
 */
package dev.slabworks.api.heap;
