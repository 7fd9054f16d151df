package dev.slabworks.testkit.contract;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.testkit.campaign.Foreign;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decodes fuzzer bytes into a sequence of operations on one allocator and checks it against a
 * model after every step: allocate (edge, tiny, medium and huge sizes), free, reallocate, verify
 * every live block, and hostile frees (foreign, interior, double/stale, arbitrary values).
 *
 * <p>Checked after every step: returned blocks are aligned, large enough and overlap no live
 * block; every hostile free throws {@link InvalidFreeException} of the kind the model expects and
 * leaves counters and live contents as they were; at the end, with everything freed,
 * {@code allocations == frees}, live bytes are 0, and {@code close()} unmaps everything.
 *
 * <p>Replay is deterministic: which bytes a step consumes never depends on an address (addresses
 * differ from run to run, and with them the bytes {@code consumeLong(min, max)} takes), so a saved
 * input replays the same operations in any JVM. Live blocks are picked by their allocation order,
 * foreign addresses by a fixed-width index.
 *
 * <p>Use from a strategy module:
 * <pre>{@code
 * @FuzzTest(maxDuration = "30s")
 * void operations(FuzzedDataProvider data) { AllocatorFuzzDriver.run(new MyFactory(), Knobs.defaults(), data); }
 * }</pre>
 */
public final class AllocatorFuzzDriver {
    private static final int MAX_STEPS = 600;
    private static final int MAX_LIVE = 400;
    private static final long MAX_LIVE_BYTES = 64L << 20;

    private final Allocator allocator;
    private final Foreign foreign;
    private final TreeMap<Long, Long> live = new TreeMap<>(); // address -> requested size
    /** The live blocks in the order they were allocated: what {@link #pick} indexes. */
    private final List<Long> liveInOrder = new ArrayList<>();
    private final List<Long> freed = new ArrayList<>();
    private long liveBytes;

    private AllocatorFuzzDriver(Allocator allocator, Foreign foreign) {
        this.allocator = allocator;
        this.foreign = foreign;
    }

    public static void run(AllocatorFactory factory, Knobs knobs, FuzzedDataProvider data) {
        Allocator a = factory.create(knobs);
        try (Foreign foreign = new Foreign()) {
            AllocatorFuzzDriver d = new AllocatorFuzzDriver(a, foreign);
            for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
                d.step(data);
            }
            d.finish();
        } finally {
            a.close();
        }
        StatsSnapshot s = a.stats();
        assertThat(s.get(Stat.MAPPED_BYTES)).as("mapped bytes after close").isZero();
        assertThat(s.get(Stat.SYSCALL_MMAP)).as("mmap == munmap after close").isEqualTo(s.get(Stat.SYSCALL_MUNMAP));
    }

    private void step(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 9)) {
            case 0, 1, 2 -> allocate(size(data));
            case 3, 4 -> free(pick(data));
            case 5 -> reallocate(pick(data), size(data));
            case 6 -> live.forEach(Patterns::verify);
            default -> hostile(data);
        }
    }

    private long size(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> AllocatorContractTest.EDGE_SIZES[data.consumeInt(0, AllocatorContractTest.EDGE_SIZES.length - 1)];
            case 1 -> data.consumeLong(0, 1024);
            case 2 -> data.consumeLong(0, 32 * 1024 + 64);
            default -> data.consumeLong(0, 2 << 20);
        };
    }

    private Long pick(FuzzedDataProvider data) {
        if (live.isEmpty()) {
            return null;
        }
        return liveInOrder.get(data.consumeInt(0, liveInOrder.size() - 1));
    }

    private void allocate(long size) {
        if (live.size() >= MAX_LIVE || liveBytes + size > MAX_LIVE_BYTES) {
            return;
        }
        long p = allocator.allocate(size);
        checkFresh(p, size);
        Patterns.fill(p, size);
        live.put(p, size);
        liveInOrder.add(p);
        liveBytes += size;
    }

    private void free(Long p) {
        if (p == null) {
            return;
        }
        long size = live.remove(p);
        liveInOrder.remove(p);
        liveBytes -= size;
        Patterns.verify(p, size);
        allocator.free(p);
        freed.add(p);
        if (freed.size() > 64) {
            freed.removeFirst();
        }
    }

    private void reallocate(Long p, long newSize) {
        if (p == null || liveBytes + newSize > MAX_LIVE_BYTES) {
            return;
        }
        long size = live.remove(p);
        liveBytes -= size;
        long q = allocator.reallocate(p, newSize);
        liveInOrder.set(liveInOrder.indexOf(p), q);
        Patterns.verifyPrefix(q, p, size, Math.min(size, newSize));
        checkFresh(q, newSize);
        Patterns.fill(q, newSize);
        live.put(q, newSize);
        liveBytes += newSize;
        if (q != p) {
            freed.add(p);
        }
    }

    private void hostile(FuzzedDataProvider data) {
        long address;
        Kind expected;
        switch (data.consumeInt(0, 3)) {
            case 0 -> {
                long[] all = foreign.all();
                address = all[Math.floorMod(data.consumeInt(), all.length)]; // all.length varies by run
                expected = Kind.FOREIGN;
            }
            case 1 -> {
                Long p = pick(data);
                if (p == null) {
                    return;
                }
                long usable = allocator.usableSize(p);
                address = p + data.consumeLong(1, usable - 1 < 1 ? 1 : usable - 1);
                expected = usable > 1 ? Kind.INTERIOR : null;
            }
            case 2 -> {
                if (freed.isEmpty()) {
                    return;
                }
                address = freed.get(data.consumeInt(0, freed.size() - 1));
                expected = null; // double free, or foreign/interior if its memory moved on since
            }
            default -> {
                address = data.consumeLong();
                expected = null;
            }
        }
        if (live.containsKey(address)) {
            return; // a valid free after all
        }
        StatsSnapshot before = allocator.stats();
        InvalidFreeException e = null;
        try {
            allocator.free(address);
        } catch (InvalidFreeException caught) {
            e = caught;
        }
        assertThat(e).as("free(0x%x) was accepted, but the model has no live block there", address).isNotNull();
        if (expected != null) {
            assertThat(e.kind()).as("kind of free(0x%x)", address).isEqualTo(expected);
        }
        StatsSnapshot after = allocator.stats();
        for (Stat s : new Stat[] {Stat.ALLOCATIONS, Stat.FREES, Stat.LIVE_BYTES}) {
            assertThat(after.get(s)).as("%s after a rejected free(0x%x)", s, address).isEqualTo(before.get(s));
        }
        assertThat(after.since(before, e.kind().stat())).isEqualTo(1);
        live.forEach(Patterns::verify);
    }

    private void checkFresh(long p, long size) {
        assertThat(p % Allocator.ALIGNMENT).as("alignment of 0x%x", p).isZero();
        assertThat(allocator.usableSize(p)).as("usable size of allocate(%d)", size).isGreaterThanOrEqualTo(size);
        Map.Entry<Long, Long> below = live.floorEntry(p + Math.max(size, 1) - 1);
        if (below != null) {
            assertThat(below.getKey() + Math.max(below.getValue(), 1)).as("0x%x (%d bytes) overlaps the live block at 0x%x",
                    p, size, below.getKey()).isLessThanOrEqualTo(p);
        }
    }

    private void finish() {
        live.forEach(Patterns::verify);
        for (long p : live.keySet()) {
            allocator.free(p);
        }
        live.clear();
        liveInOrder.clear();
        StatsSnapshot s = allocator.stats();
        assertThat(s.get(Stat.ALLOCATIONS)).as("allocations == frees once everything is freed").isEqualTo(s.get(Stat.FREES));
        assertThat(s.get(Stat.LIVE_BYTES)).as("live bytes once everything is freed").isZero();
    }
}
