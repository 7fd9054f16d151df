package dev.slabworks.harness.workload;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.os.Memory;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code trace-replay FILE [PASSES]}: replays a glibc mtrace file. The trace is parsed once, before any
 * repetition; a repetition walks its arrays PASSES times (default 1) on one allocator, one op per trace
 * entry, writing the first and last byte of each new block like {@code random-mixed}. Blocks a pass leaves
 * live are freed untimed after it.
 *
 * <p>Warm or cold: with {@code allocator.lifetime=AUTO} a run keeps one allocator through its warm-ups and
 * repetitions ({@link #measuresWarmAllocator}), since one pass of a short trace (a {@code sort} of 3,000 lines
 * makes 428 calls) on a fresh allocator is mostly the strategy's start-up (its first mappings and their page
 * faults), while the native library it is compared with has served the JVM for a while.
 * {@code allocator.lifetime=REPETITION} measures that cold start, as a new process would pay it; PASSES then
 * spreads it over as many walks of the trace.
 */
public final class TraceReplay implements Workload {
    public static final String NAME = "trace-replay";
    private final Path file;
    private final Trace trace;
    private final int passes;

    public TraceReplay(Path file) {
        this(file, 1);
    }

    public TraceReplay(Path file, int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException(NAME + ": PASSES must be >= 1, not " + passes);
        }
        this.file = file;
        this.trace = MtraceParser.parse(file);
        this.passes = passes;
    }

    public Trace trace() {
        return trace;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> args() {
        return passes == 1 ? List.of(file.toString()) : List.of(file.toString(), Integer.toString(passes));
    }

    @Override
    public boolean measuresWarmAllocator() {
        return true;
    }

    @Override
    public Outcome run(Allocator allocator) {
        return run(allocator, () -> { });
    }

    @Override
    public Outcome run(Allocator allocator, Runnable loopEnd) {
        long[] blocks = new long[trace.slots()];
        long nanos = 0;
        for (int pass = 0; pass < passes; pass++) {
            nanos += pass(allocator, blocks);
            if (pass == passes - 1) {
                loopEnd.run();
            }
            for (int s = 0; s < blocks.length; s++) {
                if (blocks[s] != 0) {
                    allocator.free(blocks[s]);
                    blocks[s] = 0;
                }
            }
        }
        return new Outcome((long) trace.length() * passes, nanos,
                (long) (trace.allocations() + trace.reallocations()) * passes,
                (long) (trace.frees() + trace.reallocations()) * passes);
    }

    /** One walk of the trace; returns its nanoseconds. */
    private long pass(Allocator allocator, long[] blocks) {
        byte[] op = trace.op();
        int[] slot = trace.slot();
        long[] size = trace.size();
        int n = op.length;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int s = slot[i];
            switch (op[i]) {
                case Trace.ALLOCATE -> {
                    long sz = size[i];
                    long p = allocator.allocate(sz);
                    if (sz > 0) {
                        Memory.putByte(p, (byte) i);
                        Memory.putByte(p + sz - 1, (byte) i);
                    }
                    blocks[s] = p;
                }
                case Trace.FREE -> {
                    allocator.free(blocks[s]);
                    blocks[s] = 0;
                }
                default -> blocks[s] = allocator.reallocate(blocks[s], size[i]);
            }
        }
        return System.nanoTime() - start;
    }
}
