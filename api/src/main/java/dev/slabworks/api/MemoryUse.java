package dev.slabworks.api;

import dev.slabworks.api.os.Os;

/**
 * What an allocator holds from the system at one moment, as far as it can tell ({@link Allocator#memoryUse}):
 * the bytes its mappings span and the bytes of them resident in RAM. {@link #UNKNOWN} where it cannot tell.
 *
 * @param mappedBytes   virtual bytes the allocator holds mapped (its whole reservations)
 * @param residentBytes bytes of those backed by RAM now
 * @param bound         how {@code residentBytes} stands to the truth: counted, or a bound the allocator's own
 *                      statistics give
 * @param source        how {@code residentBytes} was obtained, in a few words, for reports
 */
public record MemoryUse(long mappedBytes, long residentBytes, Bound bound, String source) {
    /** A figure the allocator cannot give. */
    public static final long UNKNOWN = -1;

    /** An allocator that can tell nothing. */
    public static final MemoryUse NONE = new MemoryUse(UNKNOWN, UNKNOWN, Bound.EXACT, "not known");

    /** How a resident figure stands to the bytes actually in RAM. */
    public enum Bound {
        /** The pages in RAM, counted. */
        EXACT,
        /** At least this much is in RAM: what a library can attribute to the allocator, and no more. */
        AT_LEAST,
        /** At most this much: pages a library has committed or dirtied, some perhaps never touched. */
        AT_MOST,
        /** A library's own estimate, which may err either way. */
        ESTIMATE
    }

    /** What {@code os} holds: its mapped bytes, and the resident pages of its live mappings by {@code mincore}. */
    public static MemoryUse of(Os os) {
        return new MemoryUse(os.mappedBytes(), os.residentBytes(), Bound.EXACT, "mincore over its mappings");
    }
}
