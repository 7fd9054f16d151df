package dev.slabworks.harness.testing;

import dev.slabworks.api.Allocator;

import java.util.HashMap;
import java.util.Map;

/**
 * Wraps an allocator and keeps a model of what is live: every free must be of a live block, and
 * the test can ask whether everything allocated was freed. Single-threaded use only.
 */
public class CountingAllocator extends ForwardingAllocator {
    private final Map<Long, Long> live = new HashMap<>();
    public long allocations;
    public long frees;
    public long reallocations;

    public CountingAllocator(Allocator delegate) {
        super(delegate);
    }

    public int liveBlocks() {
        return live.size();
    }

    @Override
    public long allocate(long size) {
        long p = delegate.allocate(size);
        if (live.put(p, size) != null) {
            throw new AssertionError("allocator returned live block 0x" + Long.toHexString(p));
        }
        allocations++;
        return p;
    }

    @Override
    public void free(long address) {
        if (live.remove(address) == null) {
            throw new AssertionError("workload freed 0x" + Long.toHexString(address) + ", which is not live");
        }
        frees++;
        delegate.free(address);
    }

    @Override
    public long reallocate(long address, long newSize) {
        if (address != 0 && live.remove(address) == null) {
            throw new AssertionError("workload reallocated 0x" + Long.toHexString(address) + ", which is not live");
        }
        long p = delegate.reallocate(address, newSize);
        live.put(p, newSize);
        reallocations++;
        return p;
    }
}
