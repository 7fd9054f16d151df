package dev.slabworks.benchmarks;

import dev.slabworks.api.os.Memory;
import dev.slabworks.harness.workload.SplitMix64;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remote free: in each JMH group one thread allocates (16..1024 bytes, splitmix64-drawn, the first
 * word tagged) and hands every block through a bounded lock-free ring to the other thread, which
 * checks the tag and frees it: every free is a cross-thread free. The group's score is allocations
 * plus frees per second (the harness's {@code remote-free} counts ops the same way). A full or
 * empty ring is waited on, not skipped, but each wait gives up when JMH ends the iteration
 * ({@link Control#stopMeasurement}), so neither thread can hang the other. Blocks left in the ring
 * are freed after each iteration, untimed.
 *
 * <pre>
 *   ./slabworks jmh RemoteFreeBenchmark
 *   ./slabworks jmh RemoteFreeBenchmark -p strategy=glibc -tg 2,2     # 2 allocating + 2 freeing threads per group
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RemoteFreeBenchmark {
    static final long MIN = 16;
    static final long MAX = 1024;
    static final long TAG = 0x5EED_B10C_0000_0000L;

    /**
     * The group's hand-off: a bounded multi-producer multi-consumer ring of addresses (0 = empty
     * slot) with one claim counter per side, so {@code -tg N,M} works; no lock, no allocation per
     * block. Slot {@code i} cycles through "empty (0) -> written by a producer -> taken by a consumer".
     */
    @State(Scope.Group)
    public static class Ring {
        static final int CAPACITY = 1024;
        final AtomicLong[] slots = new AtomicLong[CAPACITY];
        final AtomicLong head = new AtomicLong();
        final AtomicLong tail = new AtomicLong();

        public Ring() {
            for (int i = 0; i < CAPACITY; i++) {
                slots[i] = new AtomicLong();
            }
        }

        /** Frees whatever is still in the ring (end of iteration, every thread of the group stopped). */
        @TearDown(Level.Iteration)
        public void drain(AllocatorState s) {
            for (AtomicLong slot : slots) {
                long p = slot.getAndSet(0);
                if (p != 0) {
                    s.allocator.free(p);
                }
            }
            head.set(0);
            tail.set(0);
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
        long t = ring.tail.getAndIncrement();
        AtomicLong slot = ring.slots[(int) (t & (Ring.CAPACITY - 1))];
        while (!slot.compareAndSet(0, p)) {
            if (control.stopMeasurement) {
                s.allocator.free(p);
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Benchmark
    @Group("remoteFree")
    @GroupThreads(1)
    public void free(AllocatorState s, Ring ring, Control control) {
        long h = ring.head.getAndIncrement();
        AtomicLong slot = ring.slots[(int) (h & (Ring.CAPACITY - 1))];
        long p;
        while ((p = slot.get()) == 0 || !slot.compareAndSet(p, 0)) {
            if (control.stopMeasurement) {
                return;
            }
            Thread.onSpinWait();
        }
        if (Memory.getLong(p) != (p ^ TAG)) {
            throw new IllegalStateException("remote free: block 0x" + Long.toHexString(p)
                    + " was overwritten while live (its tag reads 0x" + Long.toHexString(Memory.getLong(p)) + ")");
        }
        s.allocator.free(p);
    }
}
