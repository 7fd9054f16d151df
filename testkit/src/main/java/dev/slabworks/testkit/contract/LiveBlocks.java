package dev.slabworks.testkit.contract;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;

import java.util.ArrayList;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model of an allocator's live blocks, each filled with its {@link Patterns pattern}: every allocation is checked
 * not to overlap a live block (no block handed out twice), every free and reallocation verifies the contents first,
 * and an operation that throws leaves the model as it was, so a check afterwards proves the allocator did too.
 */
final class LiveBlocks {
    /** Start to requested size. */
    private final TreeMap<Long, Long> sizes = new TreeMap<>();
    /** Start to usable size. */
    private final Map<Long, Long> usable = new TreeMap<>();

    int size() {
        return sizes.size();
    }

    /** Allocates {@code size} bytes, checks the block against every live one and fills it. */
    long allocate(Allocator a, long size) {
        long p = a.allocate(size);
        add(a, p, size);
        return p;
    }

    void allocateEach(Allocator a, long[] sizes) {
        for (long size : sizes) {
            allocate(a, size);
        }
    }

    void free(Allocator a, long p) {
        Patterns.verify(p, sizes.get(p));
        a.free(p);
        sizes.remove(p);
        usable.remove(p);
    }

    /** Reallocates {@code p}: on success the new block carries the old prefix; on a throw {@code p} is still live. */
    long reallocate(Allocator a, long p, long newSize) {
        long size = sizes.get(p);
        long q = a.reallocate(p, newSize);
        Patterns.verifyPrefix(q, p, size, Math.min(size, newSize));
        sizes.remove(p);
        usable.remove(p);
        add(a, q, newSize);
        return q;
    }

    /** A live block chosen by {@code rnd}. */
    long pick(SplittableRandom rnd) {
        int i = rnd.nextInt(sizes.size());
        for (long p : sizes.keySet()) {
            if (i-- == 0) {
                return p;
            }
        }
        throw new IllegalStateException();
    }

    /** {@code operations} random allocations, frees and reallocations of every size, from {@code seed}. */
    void workout(Allocator a, int operations, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < operations; i++) {
            int op = rnd.nextInt(10);
            long size = rnd.nextInt(8) == 0 ? rnd.nextLong(32_769, 600_000) : rnd.nextLong(0, 4_097);
            if (op < 5 || sizes.isEmpty()) {
                allocate(a, size);
            } else if (op < 9) {
                free(a, pick(rnd));
            } else {
                reallocate(a, pick(rnd), size);
            }
        }
    }

    void freeAll(Allocator a) {
        for (long p : new ArrayList<>(sizes.keySet())) {
            free(a, p);
        }
    }

    /** Every block holds its pattern, and the allocator counts exactly these blocks and bytes as live. */
    void assertIntactAndCounted(Allocator a) {
        sizes.forEach(Patterns::verify);
        StatsSnapshot s = a.stats();
        assertThat(s.get(Stat.ALLOCATIONS) - s.get(Stat.FREES)).as("live blocks by the stats").isEqualTo(sizes.size());
        long bytes = 0;
        for (long u : usable.values()) {
            bytes += u;
        }
        assertThat(s.get(Stat.LIVE_BYTES)).as("live bytes by the stats").isEqualTo(bytes);
    }

    private void add(Allocator a, long p, long size) {
        long extent = Math.max(size, 1);
        Map.Entry<Long, Long> below = sizes.floorEntry(p + extent - 1);
        if (below != null) {
            assertThat(below.getKey() + Math.max(below.getValue(), 1)).as(
                    "allocate(%d) = 0x%x overlaps the live block at 0x%x", size, p, below.getKey()).isLessThanOrEqualTo(p);
        }
        long u = a.usableSize(p);
        assertThat(u).isGreaterThanOrEqualTo(size);
        Patterns.fill(p, size);
        sizes.put(p, size);
        usable.put(p, u);
    }
}
