package dev.slabworks.harness.testing;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.StatsSnapshot;

/** An allocator that passes every call to another; the test wrappers override what they watch. */
public abstract class ForwardingAllocator implements Allocator {
    protected final Allocator delegate;

    protected ForwardingAllocator(Allocator delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public long allocate(long size) {
        return delegate.allocate(size);
    }

    @Override
    public void free(long address) {
        delegate.free(address);
    }

    @Override
    public long usableSize(long address) {
        return delegate.usableSize(address);
    }

    @Override
    public long reallocate(long address, long newSize) {
        return delegate.reallocate(address, newSize);
    }

    @Override
    public Knobs knobs() {
        return delegate.knobs();
    }

    @Override
    public StatsSnapshot stats() {
        return delegate.stats();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
