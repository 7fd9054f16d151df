package dev.slabworks.harness.workload;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.os.Memory;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code trace-replay FILE}: replays a glibc mtrace file. The trace is parsed once, before any
 * repetition; a repetition walks its arrays, one op per trace entry, writing the first and last byte
 * of each new block like {@code random-mixed}. Blocks the trace leaves live are freed untimed.
 */
public final class TraceReplay implements Workload {
    public static final String NAME = "trace-replay";
    private final Path file;
    private final Trace trace;

    public TraceReplay(Path file) {
        this.file = file;
        this.trace = MtraceParser.parse(file);
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
        return List.of(file.toString());
    }

    @Override
    public Outcome run(Allocator allocator) {
        return run(allocator, () -> { });
    }

    @Override
    public Outcome run(Allocator allocator, Runnable loopEnd) {
        byte[] op = trace.op();
        int[] slot = trace.slot();
        long[] size = trace.size();
        long[] blocks = new long[trace.slots()];
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
        long nanos = System.nanoTime() - start;
        loopEnd.run();
        for (long p : blocks) {
            if (p != 0) {
                allocator.free(p);
            }
        }
        return new Outcome(n, nanos, trace.allocations() + trace.reallocations(), trace.frees() + trace.reallocations());
    }
}
