package dev.slabworks.api.front;

import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.ThreadStats;

/**
 * One thread's front cache (the seed's FastCache): per size class, a LIFO stack of free block
 * addresses in front of the strategy's own free lists. Owned by one thread; no locks, no objects.
 *
 * <pre>
 *   slots: [ n0 | class 0: cap entries | n1 | class 1: cap entries | ... ]    stride = cap + 1
 *            ^ count   ^ bottom (coldest)   top = c * stride + n_c (hottest, popped first)
 * </pre>
 * Each class's count sits in the slot just before its entries: a pop or push loads one array, and the
 * count and the top entries share a cache line. Nothing else is kept per entry: a strategy that needs a block's
 * slab looks it up by address (a second array of slabs beside the entries cost a reference store on every free).
 * A miss refills up to {@code refill} blocks (the knob {@code fc.refill}) from the {@link Backend}; a push onto a full
 * stack first flushes its bottom {@code refill} blocks (the coldest) back. Every block in the
 * cache is free from the strategy's point of view (double frees of them are caught).
 */
public final class FrontCache {

    /** Where refills come from and flushes go: the strategy behind the cache. */
    public interface Backend {
        /** Fills {@code into[offset .. offset+max)} with free blocks of {@code cls}; returns how many (may be 0). */
        int refill(int cls, long[] into, int offset, int max);

        /** Takes back {@code count} free blocks of {@code cls} from {@code from[offset ..]}. */
        void flush(int cls, long[] from, int offset, int count);
    }

    private final int capacity;
    private final int refill;
    private final int stride;
    /** Per class: the count, then {@code capacity} entries (see the diagram). */
    private final long[] slots;

    public FrontCache(int capacity, int refill) {
        this.capacity = capacity;
        this.refill = Math.max(1, Math.min(refill, Math.max(capacity, 1)));
        this.stride = capacity + 1;
        this.slots = new long[stride * SizeClasses.COUNT];
    }

    public boolean enabled() {
        return capacity > 0;
    }

    public int capacity() {
        return capacity;
    }

    /** A free block of {@code cls}, or 0 when neither the cache nor a refill has one. */
    public long pop(int cls, Backend backend, ThreadStats stats) {
        int at = cls * stride;
        int n = (int) slots[at];
        if (n > 0) {
            stats.frontHit();
            slots[at] = n - 1;
            return slots[at + n];
        }
        return refillAndPop(cls, backend, stats);
    }

    /**
     * The hottest cached block of {@code cls}, or 0 when the stack is empty (then {@link #popMiss}); counts
     * nothing: the caller counts the hit (e.g. {@link ThreadStats#allocatedBlockFrontHit}).
     */
    public long popHit(int cls) {
        int at = cls * stride;
        int n = (int) slots[at];
        if (n == 0) {
            return 0;
        }
        slots[at] = n - 1;
        return slots[at + n];
    }

    /**
     * {@link #pop} after {@link #popHit} found the stack empty: counts the miss and refills, and tells
     * {@code stats} what the refill brought ({@link ThreadStats#refilled}, which samples live bytes now and then).
     */
    public long popMiss(int cls, Backend backend, ThreadStats stats) {
        return refillAndPop(cls, backend, stats);
    }

    private long refillAndPop(int cls, Backend backend, ThreadStats stats) {
        stats.increment(Stat.FRONT_MISSES);
        if (capacity == 0) {
            return 0;
        }
        int at = cls * stride;
        int got = backend.refill(cls, slots, at + 1, refill);
        stats.increment(Stat.FRONT_REFILLS);
        if (got == 0) {
            return 0;
        }
        stats.refilled(got * SizeClasses.size(cls));
        slots[at] = got - 1;
        return slots[at + got];
    }

    /** Keeps a freed block of {@code cls}; false when the cache is disabled (the caller frees it itself). */
    public boolean push(int cls, long address, Backend backend, ThreadStats stats) {
        if (capacity == 0) {
            return false;
        }
        int at = cls * stride;
        int n = (int) slots[at];
        if (n == capacity) {
            n = flushColdest(cls, at, n, backend, stats);
        }
        slots[at + n + 1] = address;
        slots[at] = n + 1;
        return true;
    }

    /** Gives the bottom {@code refill} blocks of a full stack back; returns the count left. */
    private int flushColdest(int cls, int at, int n, Backend backend, ThreadStats stats) {
        backend.flush(cls, slots, at + 1, refill);
        System.arraycopy(slots, at + 1 + refill, slots, at + 1, n - refill);
        stats.increment(Stat.FRONT_FLUSHES);
        return n - refill;
    }

    /** Flushes everything back (thread exit, trim, close). */
    public void drain(Backend backend, ThreadStats stats) {
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            int at = cls * stride;
            int n = (int) slots[at];
            if (n > 0) {
                backend.flush(cls, slots, at + 1, n);
                slots[at] = 0;
                stats.increment(Stat.FRONT_FLUSHES);
            }
        }
    }

    /** Whether no class holds a block. */
    public boolean isEmpty() {
        for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
            if (slots[cls * stride] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Blocks of {@code cls} held now. */
    public int count(int cls) {
        return (int) slots[cls * stride];
    }
}
