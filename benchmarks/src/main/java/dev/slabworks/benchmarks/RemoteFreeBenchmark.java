package dev.slabworks.benchmarks;

import dev.slabworks.api.os.Memory;
import dev.slabworks.harness.workload.SplitMix64;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Control;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Remote free: in each JMH group one thread allocates (16..1024 bytes, splitmix64-drawn, the first
 * word tagged) and hands every block through a bounded lock-free ring to the other thread, which
 * checks the tag and frees it: every free is a cross-thread free. The group's score is allocations
 * plus frees per second (the harness's {@code remote-free} counts ops the same way). A full or
 * empty ring is waited on, not skipped, but each wait gives up when JMH ends the iteration
 * ({@link Control#stopMeasurement}), so neither thread can hang the other. Blocks left in the ring
 * are freed after each iteration, untimed. This is not the harness's {@code remote-free} loop run
 * whole (that one starts its own threads): {@code @Group} needs one op per method call, so the
 * hand-off is JMH's, with the harness's generator ({@link SplitMix64}) and the same size range.
 *
 * <pre>
 *   ./slabworks jmh RemoteFreeBenchmark
 *   ./slabworks jmh RemoteFreeBenchmark -p strategy=glibc -tg 2,2     # 2 allocating + 2 freeing threads per group
 * </pre>
 */
public class RemoteFreeBenchmark extends SuiteRunSettings {
    static final long MIN = 16;
    static final long MAX = 1024;
    static final long TAG = 0x5EED_B10C_0000_0000L;

    /**
     * The group's hand-off: a bounded multi-producer multi-consumer ring of addresses (0 = empty
     * slot) with one claim counter per side, so {@code -tg N,M} works; no lock, no allocation per
     * block. Slot {@code i} cycles through "empty (0) -> written by a producer -> taken by a consumer".
     * <pre>
     *   counters: | 64 B pad | head | 120 B pad | tail | 56 B pad |   head and tail on lines of their own
     *   slots:    | a0 | a1 | ... | a1023 |                         dense: a batch shares its lines
     * </pre>
     * A waiting side reads its slot until it looks ready and only then tries the CAS (a CAS in the
     * wait loop would take the line away from the other side at every turn), and yields after a
     * short spin: on a 2-core machine shared with other work, a partner that is not running cannot
     * be waited for by spinning.
     */
    @State(Scope.Group)
    public static class Ring {
        static final int CAPACITY = 1024;
        private static final int HEAD = 8;
        private static final int TAIL = 24;
        static final int SPINS = 128;
        final AtomicLongArray slots = new AtomicLongArray(CAPACITY);
        private final AtomicLongArray counters = new AtomicLongArray(32);

        long claimHead() {
            return counters.getAndIncrement(HEAD);
        }

        long claimTail() {
            return counters.getAndIncrement(TAIL);
        }

        static int index(long ticket) {
            return (int) (ticket & (CAPACITY - 1));
        }

        static void backOff(int spins) {
            if (spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }

        /** Frees whatever is still in the ring (end of iteration, every thread of the group stopped). */
        @TearDown(Level.Iteration)
        public void drain(AllocatorState s) {
            for (int i = 0; i < CAPACITY; i++) {
                long p = slots.getAndSet(i, 0);
                if (p != 0) {
                    s.allocator.free(p);
                }
            }
            counters.set(HEAD, 0);
            counters.set(TAIL, 0);
        }
    }

    /** An allocating thread's generator (seeded per thread so threads draw different sizes). */
    @State(Scope.Thread)
    public static class Sizes {
        private static final AtomicLong SEEDS = new AtomicLong(1234567);
        final SplitMix64 random = new SplitMix64(SEEDS.getAndIncrement());

        long next() {
            return MIN + Long.remainderUnsigned(random.next(), MAX - MIN + 1);
        }
    }

    @Benchmark
    @Group("remoteFree")
    @GroupThreads(1)
    public void allocate(AllocatorState s, Ring ring, Sizes sizes, Syscalls syscalls, Control control) {
        long size = sizes.next();
        long p = s.allocator.allocate(size);
        Memory.putLong(p, p ^ TAG);
        Memory.putByte(p + size - 1, (byte) p);
        int i = Ring.index(ring.claimTail());
        AtomicLongArray slots = ring.slots;
        for (int spins = 0; slots.get(i) != 0 || !slots.compareAndSet(i, 0, p); spins++) {
            if (control.stopMeasurement) {
                s.allocator.free(p);
                return;
            }
            Ring.backOff(spins);
        }
    }

    @Benchmark
    @Group("remoteFree")
    @GroupThreads(1)
    public void free(AllocatorState s, Ring ring, Control control) {
        int i = Ring.index(ring.claimHead());
        AtomicLongArray slots = ring.slots;
        long p;
        for (int spins = 0; (p = slots.get(i)) == 0 || !slots.compareAndSet(i, p, 0); spins++) {
            if (control.stopMeasurement) {
                return;
            }
            Ring.backOff(spins);
        }
        if (Memory.getLong(p) != (p ^ TAG)) {
            throw new IllegalStateException("remote free: block 0x" + Long.toHexString(p)
                    + " was overwritten while live (its tag reads 0x" + Long.toHexString(Memory.getLong(p)) + ")");
        }
        s.allocator.free(p);
    }
}
