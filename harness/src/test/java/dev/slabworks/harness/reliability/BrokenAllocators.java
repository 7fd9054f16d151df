package dev.slabworks.harness.reliability;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Allocators with one deliberate bug each, built over the correct {@link DirectOnlyAllocator} so
 * that the bug is the only thing wrong, and so that none of them can crash the JVM (every write
 * they make lands in memory that is mapped). The reliability checks are proved against them: each
 * check must fail on the allocator whose bug it exists to catch.
 */
final class BrokenAllocators {
    static final String ACCEPTS_DOUBLE_FREE = "broken-accepts-double-free";
    static final String CORRUPTS_NEIGHBOUR = "broken-corrupts-neighbour";
    static final String LOSES_FREES = "broken-loses-frees";
    static final String HANDS_OUT_LIVE_BLOCK = "broken-hands-out-live-block";
    static final String LEAKS_ON_CLOSE = "broken-leaks-on-close";
    static final String SHORT_AT_777 = "broken-short-at-777";

    private BrokenAllocators() {
    }

    static List<AllocatorFactory> all() {
        return List.of(
                factory(ACCEPTS_DOUBLE_FREE, "a second free of a block it handed out returns quietly", AcceptsDoubleFree::new),
                factory(CORRUPTS_NEIGHBOUR, "an interior free writes a free-list link into the live block before rejecting",
                        CorruptsNeighbour::new),
                factory(LOSES_FREES, "every 64th free is dropped: the block is never returned", LosesFrees::new),
                factory(HANDS_OUT_LIVE_BLOCK, "every 200th small allocation returns one shared block again",
                        HandsOutLiveBlock::new),
                factory(LEAKS_ON_CLOSE, "close() forgets the metadata block it allocated at start", LeaksOnClose::new),
                factory(SHORT_AT_777, "a 777-byte block reports 776 usable bytes (a rare size-class off-by-one)",
                        ShortAt777::new));
    }

    private static AllocatorFactory factory(String name, String description, Function<Knobs, Allocator> make) {
        return new AllocatorFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "BROKEN on purpose: " + description;
            }

            @Override
            public Allocator create(Knobs knobs, Os os) {
                return make.apply(knobs);
            }
        };
    }

    /** Delegates everything to a correct allocator; subclasses break one thing. */
    private abstract static class Wrapper implements Allocator {
        final Allocator inner;

        Wrapper(Knobs knobs) {
            this.inner = new DirectOnlyAllocator(knobs);
        }

        @Override
        public String name() {
            return getClass().getSimpleName();
        }

        @Override
        public long allocate(long size) {
            return inner.allocate(size);
        }

        @Override
        public void free(long address) {
            inner.free(address);
        }

        @Override
        public long usableSize(long address) {
            return inner.usableSize(address);
        }

        @Override
        public long reallocate(long address, long newSize) {
            if (address == 0) {
                return allocate(newSize);
            }
            long old = usableSize(address);
            long fresh = allocate(newSize);
            Memory.copy(address, fresh, Math.min(old, newSize));
            free(address);
            return fresh;
        }

        @Override
        public Knobs knobs() {
            return inner.knobs();
        }

        @Override
        public StatsSnapshot stats() {
            return inner.stats();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** Remembers what it handed out and treats a repeated free of it as done: no DOUBLE_FREE is ever raised. */
    private static final class AcceptsDoubleFree extends Wrapper {
        private final Set<Long> handedOut = ConcurrentHashMap.newKeySet();

        AcceptsDoubleFree(Knobs knobs) {
            super(knobs);
        }

        @Override
        public long allocate(long size) {
            long p = super.allocate(size);
            handedOut.add(p);
            return p;
        }

        @Override
        public void free(long address) {
            try {
                super.free(address);
            } catch (InvalidFreeException e) {
                if (!handedOut.contains(address)) {
                    throw e;
                }
            }
        }
    }

    /** Pushes the address onto a "free list" (writes a link into it) before the check that rejects it. */
    private static final class CorruptsNeighbour extends Wrapper {
        CorruptsNeighbour(Knobs knobs) {
            super(knobs);
        }

        @Override
        public void free(long address) {
            try {
                super.free(address);
            } catch (InvalidFreeException e) {
                if (e.kind() == InvalidFreeException.Kind.INTERIOR) {
                    Memory.putLong(address & -8L, 0xF4EE_F4EE_F4EE_F4EEL); // inside a live block: mapped, and now damaged
                }
                throw e;
            }
        }
    }

    /** Drops every 64th free on the floor. */
    private static final class LosesFrees extends Wrapper {
        private final AtomicLong frees = new AtomicLong();

        LosesFrees(Knobs knobs) {
            super(knobs);
        }

        @Override
        public void free(long address) {
            inner.usableSize(address); // still rejects invalid addresses
            if (frees.incrementAndGet() % 64 != 0) {
                super.free(address);
            }
        }
    }

    /** Every 200th allocation of at most 1 KiB returns the same shared block, whoever holds it. */
    private static final class HandsOutLiveBlock extends Wrapper {
        private final long shared;
        private final AtomicLong small = new AtomicLong();

        HandsOutLiveBlock(Knobs knobs) {
            super(knobs);
            shared = inner.allocate(1024);
        }

        @Override
        public long allocate(long size) {
            if (size <= 1024 && small.incrementAndGet() % 200 == 0) {
                return shared;
            }
            return super.allocate(size);
        }

        @Override
        public void free(long address) {
            if (address != shared) {
                super.free(address);
            }
        }
    }

    /** Allocates a metadata block when made and does not give it back on close. */
    private static final class LeaksOnClose extends Wrapper {
        private final long metadata;

        LeaksOnClose(Knobs knobs) {
            super(knobs);
            metadata = inner.allocate(100_000);
        }

        long metadata() {
            return metadata;
        }

        @Override
        public void close() {
            // the bug: close() releases nothing, so the metadata block stays mapped
        }
    }

    /**
     * One size, 777, gets a usable size one byte short: a bug only an input that asks for exactly that
     * size finds, which is what the fuzzer must discover on its own (the committed seeds do not).
     */
    private static final class ShortAt777 extends Wrapper {
        private final Set<Long> short777 = ConcurrentHashMap.newKeySet();

        ShortAt777(Knobs knobs) {
            super(knobs);
        }

        @Override
        public long allocate(long size) {
            long p = super.allocate(size);
            if (size == 777) {
                short777.add(p);
            } else {
                short777.remove(p);
            }
            return p;
        }

        @Override
        public long usableSize(long address) {
            long usable = super.usableSize(address);
            return short777.contains(address) ? 776 : usable;
        }
    }
}
