package dev.slabworks.harness.testing;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/**
 * A strategy that can be slowed on purpose: with the knob {@code debug.checks} on, every allocation first spins
 * for {@link #CHECK_NANOS} (standing for an expensive check), so a test can measure the same strategy twice, once
 * slower, and see {@code compare} flag it. With the knob off it is {@code delegate} itself.
 */
public final class SlowChecksFactory implements AllocatorFactory {
    /** What a "check" costs: several times what a whole allocate-and-free pair of the test strategies costs. */
    static final long CHECK_NANOS = 3_000;

    private final AllocatorFactory delegate;

    public SlowChecksFactory(AllocatorFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public Allocator create(Knobs knobs) {
        Allocator a = delegate.create(knobs);
        if (!knobs.flag(Knob.DEBUG_CHECKS)) {
            return a;
        }
        return new ForwardingAllocator(a) {
            @Override
            public long allocate(long size) {
                long until = System.nanoTime() + CHECK_NANOS;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return delegate.allocate(size);
            }
        };
    }
}
