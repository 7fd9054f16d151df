package dev.slabworks.mimalloc;

import dev.slabworks.api.Region;
import dev.slabworks.api.list.IntrusiveList;
import dev.slabworks.api.os.Mapping;

/**
 * One segment: a {@code segment.size}-byte mapping aligned to its own size, registered in the
 * allocator's region map, and cut into pages of one size: {@code page.size} or {@code page.medium.size}
 * (its {@link #kind}, see {@link PagePool}).
 *
 * <pre>
 *   base (aligned to segmentSize)                                base + segmentSize
 *   +-----------+-----------+-----------+-----+-------------------+
 *   |  page 0   |  page 1   |  page 2   | ... |  page n-1         |
 *   +-----------+-----------+-----------+-----+-------------------+
 *   page of an address a = pages[(a - base) >>> pageShift]
 * </pre>
 * Unlike mimalloc, no segment or page header lives in the mapping: the descriptors are on the
 * Java heap, so every byte of the segment is block space and validating a pointer never reads it.
 *
 * <p>Life: mapped by the {@link PagePool} when it has no free page left; {@link #usedPages} counts its
 * pages that a heap owns; at 0 the segment is empty and waits in the pool's LRU of empty segments, and
 * one pushed out of that LRU (or still there at close) is unregistered, marked {@link #released} and
 * unmapped. A released segment never comes back: its descriptor only answers stale look-ups (a thread's
 * known segments), and every one of its pages is retired ({@code owner == null}).
 */
final class Segment extends Region {
    final Page[] pages;
    final int pageShift;
    /** {@link PagePool#SMALL} or {@link PagePool#MEDIUM}. */
    final int kind;
    /** {@link #base()}, one load closer. */
    final long start;
    /**
     * Set once, after the segment left the region map and before it is unmapped: a thread that still
     * caches this descriptor must look the address up again (see MimallocLikeAllocator#find).
     */
    volatile boolean released;
    // ---- the pool (under the pool's lock)
    /** Pages of this segment a heap owns now. */
    int usedPages;
    /** Its place in the pool's LRU of empty segments. */
    final IntrusiveList.Link<Segment> emptyLink = new IntrusiveList.Link<>(this);

    Segment(Mapping mapping, long pageSize, int kind) {
        super(mapping);
        this.kind = kind;
        this.pageShift = Long.numberOfTrailingZeros(pageSize);
        this.start = mapping.address();
        this.pages = new Page[(int) (mapping.size() >>> pageShift)];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = new Page(this, mapping.address() + ((long) i << pageShift), 1L << pageShift);
        }
    }

    Page pageOf(long address) {
        return pages[(int) ((address - start) >>> pageShift)];
    }
}
