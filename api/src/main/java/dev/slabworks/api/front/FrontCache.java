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
 * count and the top entries share a cache line. A tagged cache keeps, beside each entry, what the strategy
 * needs to take the block back (its slab): {@code tags[i]} belongs to {@code slots[i]}, so a pop needs no
 * look-up by address. A pop leaves its tag in place (one store less; the next push there overwrites it);
 * {@link #drain} clears a class's tags, so a trimmed cache holds no slab.
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

        /** The tag of a block a refill just gave (tagged caches only; slow path). */
        default Object tagOf(long address) {
            return null;
        }
    }

    private final int capacity;
    private final int refill;
    private final int stride;
    /** Per class: the count, then {@code capacity} entries (see the diagram). */
    private final long[] slots;
    /** Beside {@code slots} in a tagged cache, else null. */
    private final Object[] tags;

    public FrontCache(int capacity, int refill) {
        this(capacity, refill, false);
    }

    public FrontCache(int capacity, int refill, boolean tagged) {
        this.capacity = capacity;
        this.refill = Math.max(1, Math.min(refill, Math.max(capacity, 1)));
        this.stride = capacity + 1;
        this.slots = new long[stride * SizeClasses.COUNT];
        this.tags = tagged ? new Object[slots.length] : null;
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
     * The tag of the block the last {@link #popHit} or {@link #popMiss} of {@code cls} returned (a tagged
     * cache; call it before the next push or pop of {@code cls}).
     */
    public Object poppedTag(int cls) {
        int at = cls * stride;
        return tags[at + (int) slots[at] + 1];
    }

    /** {@link #pop} after {@link #popHit} found the stack empty: counts the miss and refills. */
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
        if (tags != null) {
            for (int i = at + 1; i <= at + got; i++) {
                tags[i] = backend.tagOf(slots[i]);
            }
        }
        slots[at] = got - 1;
        return slots[at + got];
    }

    /** Keeps a freed block of {@code cls}; false when the cache is disabled (the caller frees it itself). */
    public boolean push(int cls, long address, Backend backend, ThreadStats stats) {
        if (capacity == 0) {
            return false;
        }
        if (tags != null) {
            throw new IllegalStateException("a tagged front cache takes push(cls, address, tag, backend, stats)");
        }
        return push(cls, address, null, backend, stats);
    }

    /** {@link #push} into a tagged cache: {@code tag} is what {@link #poppedTag} will give back with it. */
    public boolean push(int cls, long address, Object tag, Backend backend, ThreadStats stats) {
        if (capacity == 0) {
            return false;
        }
        int at = cls * stride;
        int n = (int) slots[at];
        if (n == capacity) {
            n = flushColdest(cls, at, n, backend, stats);
        }
        slots[at + n + 1] = address;
        if (tags != null) {
            tags[at + n + 1] = tag;
        }
        slots[at] = n + 1;
        return true;
    }

    /** Gives the bottom {@code refill} blocks of a full stack back; returns the count left. */
    private int flushColdest(int cls, int at, int n, Backend backend, ThreadStats stats) {
        backend.flush(cls, slots, at + 1, refill);
        System.arraycopy(slots, at + 1 + refill, slots, at + 1, n - refill);
        if (tags != null) {
            System.arraycopy(tags, at + 1 + refill, tags, at + 1, n - refill);
            java.util.Arrays.fill(tags, at + 1 + n - refill, at + 1 + n, null);
        }
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
            if (tags != null) {
                java.util.Arrays.fill(tags, at + 1, at + stride, null); // popped entries' tags too
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
