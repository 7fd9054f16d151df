package dev.slabworks.api;

import dev.slabworks.api.os.Memory;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.ThreadStats;

/**
 * {@link Allocator#reallocate} for every strategy: one policy for when a block serves a new size as it
 * is, and the move (allocate, copy, free) otherwise. A strategy supplies only its own operations.
 *
 * <p>In place when the new size needs no more room and keeping the block wastes little: a small block
 * stays when the new size falls in the same size class; a direct mapping stays when the new size is still
 * direct and needs at least half of it. A shrink across classes moves, so a block that shrank does not
 * pin a large slot.
 */
public final class Reallocation {
    private Reallocation() {
    }

    /** Whether a live block of usable size {@code usable} serves {@code newSize} bytes as it is. */
    public static boolean fitsInPlace(long usable, long newSize) {
        if (newSize < 0 || newSize > usable) {
            return false;
        }
        if (SizeClasses.isSmall(usable)) {
            return SizeClasses.classOf(newSize) == SizeClasses.classOf(usable);
        }
        return !SizeClasses.isSmall(newSize) && newSize >= usable >>> 1;
    }

    /**
     * Reallocates {@code address} (0 means allocate) in {@code allocator}, counting the reallocation in
     * {@code stats}, the calling thread's row. Invalid addresses are rejected by
     * {@link Allocator#usableSize} before anything changes.
     */
    public static long reallocate(Allocator allocator, long address, long newSize, ThreadStats stats) {
        if (address == 0) {
            return allocator.allocate(newSize);
        }
        if (newSize < 0) {
            throw new IllegalArgumentException("negative size: " + newSize);
        }
        long usable = allocator.usableSize(address);
        if (fitsInPlace(usable, newSize)) {
            stats.increment(Stat.REALLOCATIONS);
            return address;
        }
        long fresh = allocator.allocate(newSize); // may throw (no memory): then the old block and the counts stay as they were
        stats.increment(Stat.REALLOCATIONS);
        Memory.copy(address, fresh, Math.min(usable, newSize));
        allocator.free(address);
        return fresh;
    }
}
