package dev.slabworks.api.direct;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.slabworks.api.direct.DirectFixture.GRANULE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Any sequence of direct allocates, frees, double frees, interior frees and trims under any cache bounds
 * agrees with a model of the cache: which allocate is a hit (the smallest cached mapping from the rounded
 * length to twice it) and which mapping it gets, which free caches its mapping and which older ones it
 * evicts (oldest first, for bytes and then for count), and the mapped bytes (live + cached, exactly).
 */
class DirectMappingCacheFuzzTest {
    private static final int MAX_OPS = 300;

    @FuzzTest(maxDuration = "20s")
    void any_sequence_agrees_with_the_model(FuzzedDataProvider data) {
        int maxCount = data.consumeInt(0, 5);
        long maxBytes = data.consumeInt(0, 20) * GRANULE;
        boolean caching = maxCount > 0 && maxBytes > 0;
        DirectFixture f = new DirectFixture(maxCount, maxBytes);
        TreeMap<Long, Long> live = new TreeMap<>();              // address -> mapping size
        LinkedHashMap<Long, Long> cached = new LinkedHashMap<>(); // address -> mapping size, oldest first
        Map<Long, Long> reserved = new HashMap<>();               // address -> reserved bytes, live or cached
        List<Long> freed = new ArrayList<>();                     // every address freed so far
        long allocations = 0;
        try {
            for (int op = 0; op < MAX_OPS && data.remainingBytes() > 0; op++) {
                switch (data.consumeInt(0, 6)) {
                    case 0, 1 -> {
                        long size = data.consumeLong(32 * 1024 + 1, 9 * GRANULE);
                        long length = (size + GRANULE - 1) & -GRANULE;
                        Long expected = caching ? bestFit(cached, length) : null;
                        long mmaps = f.mmaps();
                        long p = f.allocate(size);
                        allocations++;
                        if (expected != null) {
                            assertThat(f.mmaps()).as("a hit maps nothing").isEqualTo(mmaps);
                            assertThat(cached).containsKey(p);
                            assertThat(cached.get(p)).as("best fit").isEqualTo(cached.get(expected));
                            live.put(p, cached.remove(p));
                        } else {
                            assertThat(f.mmaps()).as("a miss maps").isGreaterThan(mmaps);
                            assertThat(cached).doesNotContainKey(p);
                            live.put(p, length);
                            reserved.put(p, f.regions.lookup(p).mapping().reservedSize());
                        }
                        assertThat(p % GRANULE).isZero();
                        assertThat(f.usableSize(p)).isEqualTo(live.get(p)).isBetween(length, 2 * length);
                        assertNoOverlap(live, p);
                        Memory.putByte(p, (byte) 0x5A);
                        Memory.putByte(p + size - 1, (byte) 0xA5);
                    }
                    case 2, 3 -> {
                        if (live.isEmpty()) {
                            break;
                        }
                        long p = pick(live, data);
                        assertThat(Memory.getByte(p)).isEqualTo((byte) 0x5A);
                        long size = live.remove(p);
                        f.free(p);
                        freed.add(p);
                        long r = reserved.get(p);
                        if (caching && r <= maxBytes) {
                            while (sum(cached, reserved) + r > maxBytes) {
                                evictOldest(cached, reserved, f);
                            }
                            if (cached.size() == maxCount) {
                                evictOldest(cached, reserved, f);
                            }
                            cached.put(p, size);
                            assertThat(f.regions.lookup(p)).as("cached: still registered").isNotNull();
                        } else {
                            reserved.remove(p);
                            assertThat(f.regions.lookup(p)).as("not cached: unmapped").isNull();
                        }
                    }
                    case 4 -> {
                        if (freed.isEmpty()) {
                            break;
                        }
                        long p = freed.get(data.consumeInt(0, freed.size() - 1));
                        if (live.containsKey(p)) {
                            break; // handed out again: a valid free
                        }
                        DirectRegion r = f.regions.lookup(p);
                        Kind expected = r == null ? Kind.FOREIGN : r.base() != p ? Kind.INTERIOR : Kind.DOUBLE_FREE;
                        long mapped = f.os.mappedBytes();
                        InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> f.free(p));
                        assertThat(e).isNotNull();
                        assertThat(e.kind()).isEqualTo(expected);
                        assertThat(f.os.mappedBytes()).isEqualTo(mapped);
                    }
                    case 5 -> {
                        if (live.isEmpty() && cached.isEmpty()) {
                            break;
                        }
                        boolean inLive = cached.isEmpty() || (!live.isEmpty() && data.consumeBoolean());
                        long p = pick(inLive ? live : cached, data);
                        long size = inLive ? live.get(p) : cached.get(p);
                        long inside = p + 16 * data.consumeLong(1, size / 16 - 1);
                        InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> f.free(inside));
                        assertThat(e).isNotNull();
                        assertThat(e.kind()).isEqualTo(Kind.INTERIOR);
                    }
                    default -> {
                        assertThat(f.direct.trim()).isEqualTo(cached.size());
                        cached.keySet().forEach(reserved::remove);
                        cached.clear();
                    }
                }
                assertThat(f.direct.cachedCount()).isEqualTo(cached.size()).isLessThanOrEqualTo(maxCount);
                assertThat(f.direct.cachedBytes()).isEqualTo(sum(cached, reserved)).isLessThanOrEqualTo(maxBytes);
                assertThat(f.direct.liveCount()).isEqualTo(live.size());
                assertThat(f.os.mappedBytes()).isEqualTo(sum(live, reserved) + sum(cached, reserved));
                if (Stats.ENABLED) {
                    long hits = f.local.get(Stat.DIRECT_CACHE_HITS);
                    long misses = f.local.get(Stat.DIRECT_CACHE_MISSES);
                    assertThat(hits + misses).isEqualTo(caching ? allocations : 0);
                }
            }
        } finally {
            f.close();
        }
        assertThat(f.os.mappedBytes()).isZero();
        assertThat(f.mmaps()).isEqualTo(f.munmaps());
        assertThat(f.regions.size()).isZero();
    }

    /** The model's choice: the smallest cached size in {@code [length, 2 * length]}, or null. */
    private static Long bestFit(Map<Long, Long> cached, long length) {
        Long best = null;
        for (Map.Entry<Long, Long> e : cached.entrySet()) {
            long s = e.getValue();
            if (s >= length && s <= 2 * length && (best == null || s < cached.get(best))) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static void evictOldest(LinkedHashMap<Long, Long> cached, Map<Long, Long> reserved, DirectFixture f) {
        Iterator<Long> it = cached.keySet().iterator();
        long oldest = it.next();
        it.remove();
        reserved.remove(oldest);
        assertThat(f.regions.lookup(oldest)).as("evicted: unmapped").isNull();
    }

    private static long sum(Map<Long, Long> blocks, Map<Long, Long> reserved) {
        long total = 0;
        for (long p : blocks.keySet()) {
            total += reserved.get(p);
        }
        return total;
    }

    private static long pick(Map<Long, Long> blocks, FuzzedDataProvider data) {
        int i = data.consumeInt(0, blocks.size() - 1);
        Iterator<Long> it = blocks.keySet().iterator();
        while (i-- > 0) {
            it.next();
        }
        return it.next();
    }

    private static void assertNoOverlap(TreeMap<Long, Long> live, long p) {
        Map.Entry<Long, Long> below = live.lowerEntry(p);
        Map.Entry<Long, Long> above = live.higherEntry(p);
        assertThat(below == null || below.getKey() + below.getValue() <= p).as("overlaps the block below").isTrue();
        assertThat(above == null || p + live.get(p) <= above.getKey()).as("overlaps the block above").isTrue();
    }
}
