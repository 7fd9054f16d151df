/** Per-size-class SuperSlabs with an LRU of empty ones, prewarm and a per-thread front cache. */
package dev.slabworks.superslab;
