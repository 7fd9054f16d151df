package dev.slabworks.harness.testing;

import dev.slabworks.api.Allocator;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link CountingAllocator} for many threads: wraps an allocator and keeps which thread allocated each
 * live block, so a test can ask whether every free was of a live block, how many frees were by another
 * thread than the allocating one, and whether anything is left live. Problems are collected, not thrown,
 * so a workload's threads run on and the test reports them all.
 */
public class SharedLiveSet extends ForwardingAllocator {
    private final Map<Long, Long> owner = new ConcurrentHashMap<>();
    public final AtomicLong allocations = new AtomicLong();
    public final AtomicLong frees = new AtomicLong();
    public final AtomicLong crossThreadFrees = new AtomicLong();
    /** Every allocation's size, in no particular order across threads. */
    public final Queue<Long> sizes = new ConcurrentLinkedQueue<>();
    public final Queue<String> problems = new ConcurrentLinkedQueue<>();

    public SharedLiveSet(Allocator delegate) {
        super(delegate);
    }

    public int liveBlocks() {
        return owner.size();
    }

    @Override
    public long allocate(long size) {
        long p = delegate.allocate(size);
        if (owner.putIfAbsent(p, Thread.currentThread().threadId()) != null) {
            problems.add("allocator returned live block 0x" + Long.toHexString(p));
        }
        allocations.incrementAndGet();
        sizes.add(size);
        return p;
    }

    @Override
    public void free(long address) {
        Long by = owner.remove(address);
        if (by == null) {
            problems.add("workload freed 0x" + Long.toHexString(address) + ", which is not live");
            return;
        }
        if (by != Thread.currentThread().threadId()) {
            crossThreadFrees.incrementAndGet();
        }
        frees.incrementAndGet();
        delegate.free(address);
    }

    @Override
    public long reallocate(long address, long newSize) {
        throw new UnsupportedOperationException("no workload here reallocates");
    }
}
