package dev.slabworks.api;

import dev.slabworks.api.os.Os;

/**
 * What an allocator holds from the system at one moment, as far as it can tell ({@link Allocator#memoryUse}):
 * the bytes its mappings span and the bytes of them resident in RAM. {@link #UNKNOWN} where it cannot tell.
 *
 * @param mappedBytes   virtual bytes the allocator holds mapped (its whole reservations)
 * @param residentBytes bytes of those backed by RAM now
 * @param source        how {@code residentBytes} was obtained, in a few words, for reports
 */
public record MemoryUse(long mappedBytes, long residentBytes, String source) {
    /** A figure the allocator cannot give. */
    public static final long UNKNOWN = -1;

    /** An allocator that can tell nothing. */
    public static final MemoryUse NONE = new MemoryUse(UNKNOWN, UNKNOWN, "not known");

    /** What {@code os} holds: its mapped bytes, and the resident pages of its live mappings by {@code mincore}. */
    public static MemoryUse of(Os os) {
        return new MemoryUse(os.mappedBytes(), os.residentBytes(), "mincore over its mappings");
    }
}
