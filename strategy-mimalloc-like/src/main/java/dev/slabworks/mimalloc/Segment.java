package dev.slabworks.mimalloc;

import dev.slabworks.api.Region;
import dev.slabworks.api.os.Mapping;

/**
 * One segment: a {@code segment.size}-byte mapping aligned to its own size, registered in the
 * allocator's region map, and cut into {@code segment.size / page.size} pages.
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
 */
final class Segment extends Region {
    final Page[] pages;
    final int pageShift;
    /** {@link #base()}, one load closer. */
    final long start;

    Segment(Mapping mapping, long pageSize) {
        super(mapping);
        this.pageShift = Long.numberOfTrailingZeros(pageSize);
        this.start = mapping.address();
        this.pages = new Page[(int) (mapping.size() >>> pageShift)];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = new Page(this, mapping.address() + ((long) i << pageShift));
        }
    }

    Page pageOf(long address) {
        return pages[(int) ((address - start) >>> pageShift)];
    }
}
