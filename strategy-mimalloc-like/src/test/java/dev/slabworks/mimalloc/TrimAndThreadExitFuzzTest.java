package dev.slabworks.mimalloc;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.testkit.campaign.BlockContents;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.onThreadThatEnds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Allocations, frees, {@code trim()} and short-lived threads (which allocate, free blocks of anybody, and
 * end holding pages) in any order, checked against a model: every live block keeps its contents, a free of
 * an address not live is rejected, and once everything is freed a trim leaves no segment mapped (LRU 0).
 * Small segments (one page each) make segments empty, unmapped and mapped again often, so cached segment
 * descriptors go stale.
 */
class TrimAndThreadExitFuzzTest {
    private static final Knobs SMALL_SEGMENTS = Knobs.defaults().with(Knob.SS_LRU_SIZE, 0)
            .with(MimallocLikeKnobs.SEGMENT_SIZE, "64KiB").with(MimallocLikeKnobs.PAGE_SIZE, "64KiB").with(Knob.PURGE_DELAY_MS, 0)
            .with(Knob.DEBUG_CHECKS, true);

    @FuzzTest(maxDuration = "20s")
    void operations_with_trim_and_thread_exits(FuzzedDataProvider data) throws Exception {
        run(SMALL_SEGMENTS, data);
    }

    @FuzzTest(maxDuration = "20s")
    void operations_with_trim_and_thread_exits_registry(FuzzedDataProvider data) throws Exception {
        run(SMALL_SEGMENTS.with(Knob.VALIDATION, "REGISTRY"), data);
    }

    private static void run(Knobs knobs, FuzzedDataProvider data) throws Exception {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(knobs)) {
            Map<Long, long[]> live = new LinkedHashMap<>(); // address -> {size, contents seed}
            List<Long> freed = new ArrayList<>();
            long rejected = 0;
            for (int op = 0; op < 200 && data.remainingBytes() > 0; op++) {
                switch (data.consumeInt(0, 5)) {
                    case 0, 1 -> allocate(a, live, data.consumeLong(0, 40_000), data.consumeLong());
                    case 2 -> {
                        if (!live.isEmpty()) {
                            long p = pick(live, data.consumeInt(0, live.size() - 1));
                            a.free(p);
                            live.remove(p);
                            freed.add(p);
                        }
                    }
                    case 3 -> {
                        a.trim();
                        checkIntact(live);
                    }
                    case 4 -> {
                        int allocations = data.consumeInt(0, 30);
                        long sizeSeed = data.consumeLong();
                        List<Long> toFree = new ArrayList<>();
                        for (int n = data.consumeInt(0, 10); n > 0 && !live.isEmpty(); n--) {
                            long p = pick(live, data.consumeInt(0, live.size() - 1));
                            live.remove(p);
                            toFree.add(p);
                        }
                        Map<Long, long[]> made = onThreadThatEnds(() -> {
                            Map<Long, long[]> m = new LinkedHashMap<>();
                            java.util.SplittableRandom r = new java.util.SplittableRandom(sizeSeed);
                            for (int i = 0; i < allocations; i++) {
                                allocate(a, m, r.nextInt(8) == 0 ? r.nextLong(0, 40_000) : r.nextLong(0, 1025), r.nextLong());
                            }
                            toFree.forEach(a::free);
                            return m;
                        });
                        live.putAll(made);
                        freed.addAll(toFree);
                    }
                    default -> {
                        if (!freed.isEmpty()) {
                            long p = freed.get(data.consumeInt(0, freed.size() - 1));
                            if (!live.containsKey(p)) {
                                assertThatThrownBy(() -> a.free(p)).isInstanceOf(InvalidFreeException.class);
                                rejected++;
                            }
                        }
                    }
                }
            }
            checkIntact(live);
            live.keySet().forEach(a::free);
            a.trim();
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.FREES)).isEqualTo(s.get(Stat.ALLOCATIONS));
            assertThat(s.get(Stat.LIVE_BYTES)).isZero();
            assertThat(s.invalidFrees()).isEqualTo(rejected);
            assertThat(a.pool().segmentCount()).isZero();
            assertThat(s.get(Stat.MAPPED_BYTES)).isZero();
        }
    }

    private static void allocate(MimallocLikeAllocator a, Map<Long, long[]> into, long size, long seed) {
        long p = a.allocate(size);
        BlockContents.fill(p, size, seed);
        into.put(p, new long[] {size, seed});
    }

    private static void checkIntact(Map<Long, long[]> live) {
        live.forEach((p, b) -> assertThat(BlockContents.firstMismatch(p, b[0], b[1]))
                .as("block 0x%x of %d bytes", p, b[0]).isEqualTo(-1));
    }

    private static long pick(Map<Long, long[]> live, int index) {
        var it = live.keySet().iterator();
        for (int i = 0; i < index; i++) {
            it.next();
        }
        return it.next();
    }
}
