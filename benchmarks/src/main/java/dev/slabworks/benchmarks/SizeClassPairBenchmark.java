package dev.slabworks.benchmarks;

import dev.slabworks.api.os.Memory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One {@code allocate} and one {@code free} of the same size, with a write to the block's first and
 * last byte in between: the fast path of one size class (the front cache, for slab strategies). The
 * default sizes are a spread of the 40 classes ({@code SizeClasses}: 16 .. 32768) plus one direct
 * mapping (65536); every class is {@code -p size=16,32,48,...}. One op is the pair.
 *
 * <pre>
 *   ./slabworks jmh SizeClassPairBenchmark
 *   ./slabworks jmh SizeClassPairBenchmark -p size=48,96 -p strategy=glibc,mimalloc
 * </pre>
 */
@State(Scope.Thread)
public class SizeClassPairBenchmark extends SuiteRunSettings {
    @Param({"16", "128", "1024", "8192", "32768", "65536"})
    public long size;

    @Benchmark
    public long pair(AllocatorState s, Syscalls syscalls) {
        long p = s.allocator.allocate(size);
        Memory.putByte(p, (byte) 1);
        Memory.putByte(p + size - 1, (byte) 1);
        s.allocator.free(p);
        return p;
    }
}
