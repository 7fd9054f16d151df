package dev.slabworks.api;

import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.OutOfNativeMemoryError;
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
 *
 * <p>A move to a larger direct size asks for {@code realloc.growth} percent more than the new size, so that
 * the next growths of a growing buffer (a list, a string builder, a sort's line buffer) fit in place instead of
 * copying it again: geometric growth, which glibc gets by growing a block into its neighbour or with
 * {@code mremap}. The headroom is address space until the program writes it; the copy of a later move reads
 * it, so a block moved twice may be resident up to its headroom beyond what it held. A move that finds no
 * memory for the headroom moves to the exact size; a direct block stays in place down to a smaller share of
 * its usable size ({@link #fitsInPlace}), so a grown buffer is not moved back down by its next step.
 */
public final class Reallocation {
    private Reallocation() {
    }

    /**
     * Whether a live block of usable size {@code usable} serves {@code newSize} bytes as it is. A direct block may
     * hold up to twice what a move asked for (the direct cache hands out a mapping for half its size and up), and a
     * move asks for {@code growthPercent} more than the new size, so it stays down to half its usable size divided by
     * that growth: a buffer that just moved with headroom is not moved back down by its next growth.
     */
    public static boolean fitsInPlace(long usable, long newSize, int growthPercent) {
        if (newSize < 0 || newSize > usable) {
            return false;
        }
        if (SizeClasses.isSmall(usable)) {
            return SizeClasses.classOf(newSize) == SizeClasses.classOf(usable);
        }
        long half = usable >>> 1;
        int grown = 100 + Math.max(0, growthPercent); // as moveSize: no negative growth (nor a division by 0)
        long floor = half / grown * 100 + half % grown * 100 / grown; // half * 100 / grown without overflow
        return !SizeClasses.isSmall(newSize) && newSize >= floor;
    }

    /** The size a move to {@code newSize} from a block of usable size {@code usable} asks for (see the class comment). */
    public static long moveSize(long usable, long newSize, int growthPercent) {
        if (newSize <= usable || SizeClasses.isSmall(newSize) || growthPercent <= 0) {
            return newSize;
        }
        long headroom = Math.multiplyHigh(newSize, growthPercent) != 0 ? Long.MAX_VALUE
                : newSize / 100 * growthPercent + newSize % 100 * growthPercent / 100;
        return headroom > Long.MAX_VALUE - newSize ? Long.MAX_VALUE : newSize + headroom;
    }

    /**
     * Reallocates {@code address} (0 means allocate) in {@code allocator}, counting the reallocation in
     * {@code stats}, the calling thread's row; a move to a larger direct size asks for {@code growthPercent}
     * percent more ({@code realloc.growth}). Invalid addresses are rejected by {@link Allocator#usableSize} before
     * anything changes.
     */
    public static long reallocate(Allocator allocator, long address, long newSize, ThreadStats stats,
                                  int growthPercent) {
        if (address == 0) {
            return allocator.allocate(newSize);
        }
        if (newSize < 0) {
            throw new IllegalArgumentException("negative size: " + newSize);
        }
        long usable = allocator.usableSize(address);
        if (fitsInPlace(usable, newSize, growthPercent)) {
            stats.increment(Stat.REALLOCATIONS);
            return address;
        }
        long fresh = allocateForMove(allocator, moveSize(usable, newSize, growthPercent), newSize);
        stats.increment(Stat.REALLOCATIONS);
        Memory.copy(address, fresh, Math.min(usable, newSize));
        allocator.free(address);
        return fresh;
    }

    /**
     * A block of {@code ask} bytes, or of {@code newSize} when there is no memory for the headroom: the caller asked
     * for {@code newSize} only. May throw (no memory for that either): then the old block and the counts stay as
     * they were.
     */
    private static long allocateForMove(Allocator allocator, long ask, long newSize) {
        if (ask == newSize) {
            return allocator.allocate(newSize);
        }
        try {
            return allocator.allocate(ask);
        } catch (OutOfNativeMemoryError noRoomForHeadroom) {
            return allocator.allocate(newSize);
        }
    }
}
