package dev.slabworks.harness.bench;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.harness.workload.Workload;

/**
 * Counts the bytes a workload asks for and has not freed yet, exactly, at every operation: an allocator in front of
 * another that remembers each live block's requested size. A native library cannot say what was requested (it
 * sees rounded sizes, or nothing), and the workloads' loops count nothing, so the live bytes of a baseline's run
 * come from one untimed replay of the same workload through this meter ({@link #replay}). The loops are
 * deterministic but for which thread frees what in the multi-thread workloads, where the replay's figure is that
 * of its own interleaving.
 *
 * <p>Every call is synchronized (multi-thread workloads call from several threads), and the sizes sit in an
 * open-addressing table of {@code long}s: no primitive map is among the dependencies, and a boxed map would
 * make this one-off pass several times slower.
 */
final class LiveBytesMeter implements Allocator {
    /** The live bytes of a replay: at their highest and when the loop ended ({@link MemoryFigures#UNKNOWN} when the
     * workload does not say). */
    record LiveBytes(long peak, long end) {
    }

    private final Allocator backing;
    private long[] keys = new long[1 << 12];
    private long[] sizes = new long[1 << 12];
    private int count;
    private long live;
    private long peak;
    private long end = MemoryFigures.UNKNOWN;

    LiveBytesMeter(Allocator backing) {
        this.backing = backing;
    }

    /** One run of {@code workload} on {@code backing} through a meter; closes {@code backing}. */
    static LiveBytes replay(Workload workload, Allocator backing) {
        try (LiveBytesMeter meter = new LiveBytesMeter(backing)) {
            workload.run(meter, meter::loopEnded);
            return new LiveBytes(meter.peak(), meter.end());
        }
    }

    private synchronized void loopEnded() {
        end = live;
    }

    synchronized long live() {
        return live;
    }

    synchronized long peak() {
        return peak;
    }

    synchronized long end() {
        return end;
    }

    @Override
    public String name() {
        return backing.name();
    }

    @Override
    public synchronized long allocate(long size) {
        long p = backing.allocate(size);
        add(p, size);
        return p;
    }

    @Override
    public synchronized void free(long address) {
        live -= remove(address);
        backing.free(address);
    }

    @Override
    public synchronized long usableSize(long address) {
        return backing.usableSize(address);
    }

    @Override
    public synchronized long reallocate(long address, long newSize) {
        long q = backing.reallocate(address, newSize);
        if (address != 0) {
            live -= remove(address);
        }
        add(q, newSize);
        return q;
    }

    @Override
    public Knobs knobs() {
        return backing.knobs();
    }

    @Override
    public StatsSnapshot stats() {
        return backing.stats();
    }

    @Override
    public void close() {
        backing.close();
    }

    private void add(long address, long size) {
        if (2 * (count + 1) > keys.length) {
            grow();
        }
        int i = slot(address, keys.length);
        while (keys[i] != 0) {
            if (keys[i] == address) {
                throw new IllegalStateException("block 0x" + Long.toHexString(address) + " handed out while live");
            }
            i = (i + 1) & (keys.length - 1);
        }
        keys[i] = address;
        sizes[i] = size;
        count++;
        live += size;
        peak = Math.max(peak, live);
    }

    /** The requested size of live block {@code address}, forgotten; linear probing with backward-shift deletion. */
    private long remove(long address) {
        int mask = keys.length - 1;
        int i = slot(address, keys.length);
        while (keys[i] != address) {
            if (keys[i] == 0) {
                throw new IllegalStateException("free of 0x" + Long.toHexString(address) + ", which is not live");
            }
            i = (i + 1) & mask;
        }
        long size = sizes[i];
        count--;
        int hole = i;
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = slot(keys[j], keys.length);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                sizes[hole] = sizes[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldSizes = sizes;
        keys = new long[oldKeys.length * 2];
        sizes = new long[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int j = slot(oldKeys[i], keys.length);
                while (keys[j] != 0) {
                    j = (j + 1) & (keys.length - 1);
                }
                keys[j] = oldKeys[i];
                sizes[j] = oldSizes[i];
            }
        }
    }

    /** Fibonacci hashing: the top bits of the address times the golden ratio ({@code length} a power of two). */
    private static int slot(long address, int length) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(length)));
    }
}
