/** mimalloc-style pages with sharded free lists, per-thread heaps and a mincore-cached free path. */
package dev.slabworks.mimalloc;
