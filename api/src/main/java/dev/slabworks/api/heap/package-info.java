/** Bookkeeping of per-thread heaps shared by the strategies: finding the heaps of threads that have ended. */
package dev.slabworks.api.heap;
