package dev.slabworks.api.os;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where {@link Os#mapAligned} asks the kernel to put an aligned mapping: the next aligned slot of a range of
 * address space nobody else maps into, so that the kernel almost always honours the hint and one {@code mmap}
 * suffices (see {@link Os}, "Guarantees").
 */
final class AlignedHints {
    /**
     * Start of the range aligned mappings are hinted into: 2 TiB, far above the Java heap (compressed
     * oops keep it low) and far below the kernel's top-down mmap area, where the JVM's own threads
     * map stacks, code and arenas. A hint just below our last mapping (the obvious choice) lost
     * that race now and then, costing an extra mmap/munmap pair and a second SuperSlab-worth of
     * reserve; in a range nobody else uses, it does not.
     */
    static final long HINT_BASE = 2L << 40;
    /** The cursor wraps to {@link #HINT_BASE} here (64 TiB; a 47-bit user space ends at 128 TiB). */
    static final long HINT_END = 64L << 40;
    /**
     * Next hint, shared by every {@link Os} so that two allocators in one JVM never hint at each
     * other's mappings. Address space is not reused before the wrap: 62 TiB of it is plenty.
     */
    private static final AtomicLong HINT_CURSOR = new AtomicLong(HINT_BASE);

    private AlignedHints() {
    }

    /** Claims the next aligned slot of {@code length} bytes in the hint range; 0 (no hint) if the range cannot hold it. */
    static long next(long length, long alignment) {
        long span = (length + alignment - 1) & -alignment;
        if (span <= 0 || span > HINT_END - HINT_BASE) {
            return 0L;
        }
        while (true) {
            long cursor = HINT_CURSOR.get();
            long start = (cursor + alignment - 1) & -alignment;
            long next = start + span;
            if (next > HINT_END || next < start) {
                HINT_CURSOR.compareAndSet(cursor, HINT_BASE);
            } else if (HINT_CURSOR.compareAndSet(cursor, next)) {
                return start;
            }
        }
    }
}
