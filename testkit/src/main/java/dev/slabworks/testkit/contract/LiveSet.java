package dev.slabworks.testkit.contract;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;

import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live blocks with their patterns, kept beside a hostile free to prove it changed nothing: every
 * pattern intact, no counter moved but the rejection's own, and no later allocation handed out
 * one of these blocks again (a corrupted free list would).
 */
public final class LiveSet {
    private final TreeMap<Long, Long> blocks = new TreeMap<>();

    public static LiveSet populate(Allocator a, int count) {
        LiveSet s = new LiveSet();
        SplittableRandom rnd = new SplittableRandom(count);
        for (int i = 0; i < count; i++) {
            long size = rnd.nextInt(10) == 0 ? rnd.nextLong(1025, 40_000) : rnd.nextLong(0, 1025);
            s.add(a.allocate(size), size);
        }
        return s;
    }

    public void add(long address, long size) {
        Patterns.fill(address, size);
        blocks.put(address, size);
    }

    public void verifyAll() {
        blocks.forEach(Patterns::verify);
    }

    public void assertNothingChanged(Allocator a, StatsSnapshot before, Kind rejected) {
        verifyAll();
        StatsSnapshot after = a.stats();
        for (Stat s : new Stat[] {Stat.ALLOCATIONS, Stat.FREES, Stat.LIVE_BYTES, Stat.REMOTE_FREES}) {
            assertThat(after.get(s)).as("%s after a rejected free", s).isEqualTo(before.get(s));
        }
        assertThat(after.since(before, rejected.stat())).as("%s counted", rejected.stat()).isEqualTo(1);
    }

    /** Allocates a burst of every class and checks none of it lands on a live block. */
    public void assertNoNewBlockOverlaps(Allocator a) {
        long[] fresh = new long[2000];
        for (int i = 0; i < fresh.length; i++) {
            long size = (i * 16L) % 2048;
            fresh[i] = a.allocate(size);
            Patterns.fill(fresh[i], size);
            Map.Entry<Long, Long> below = blocks.floorEntry(fresh[i] + Math.max(size, 1) - 1);
            if (below != null) {
                assertThat(below.getKey() + Math.max(below.getValue(), 1)).as("allocate(%d) = 0x%x overlaps the live block at 0x%x",
                        size, fresh[i], below.getKey()).isLessThanOrEqualTo(fresh[i]);
            }
        }
        verifyAll();
        for (long p : fresh) {
            a.free(p);
        }
    }

    public void freeAll(Allocator a) {
        verifyAll();
        blocks.keySet().forEach(a::free);
        blocks.clear();
    }
}
