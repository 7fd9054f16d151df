package dev.slabworks.harness.workload;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.os.Memory;

import java.util.List;

/**
 * {@code remote-free THREADS ITERS WS SEED}: cross-thread frees. Thread {@code i} runs
 * {@code random-mixed}'s loop on its own WS slots (its own splitmix64 seeded {@code SEED + i}, sizes
 * 16..1024), but a full slot is not freed locally: the block goes into the hand-off ring of thread
 * {@code (i + 1) mod THREADS}, which frees it (locally only when that ring is full). Before every
 * iteration a thread drains its own ring. With one thread the ring is its own: no remote frees.
 *
 * <p>Every block carries a tag written at allocation and checked before it is freed:
 * <pre>
 *   offset 0        8        12                 size-1 (>= 15)
 *          | tag    | size   | ...              | low byte of tag |
 *            long     int
 *   tag = address ^ size ^ TAG
 * </pre>
 * so a block handed out twice, or overwritten while live, fails the run with its address.
 * Ops are allocations plus frees in the timed window (all threads started together, stopped when
 * the last one ends); what is left in slots and rings afterwards is verified and freed untimed.
 */
public record RemoteFree(int threads, long iterations, int workingSet, long seed) implements Workload {
    public static final String NAME = "remote-free";
    static final long MIN = 16;
    static final long MAX = 1024;
    static final long TAG = 0x5EED_B10C_0000_0000L;
    private static final int RING = 1024;

    public RemoteFree {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("remote-free: THREADS must be 1..256, not " + threads);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("remote-free: ITERS must be >= 0, not " + iterations);
        }
        if (workingSet < 1) {
            throw new IllegalArgumentException("remote-free: WS must be >= 1, not " + workingSet);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> args() {
        return List.of(Integer.toString(threads), Long.toString(iterations), Integer.toString(workingSet),
                Long.toString(seed));
    }

    @Override
    public Outcome run(Allocator allocator) {
        return run(allocator, () -> { });
    }

    @Override
    public Outcome run(Allocator allocator, Runnable loopEnd) {
        return run(allocator, loopEnd, true);
    }

    /**
     * The same loop, writing the tags but never checking them: for an allocator whose blocks overlap by design (the
     * JMH suite's {@code none}, every block one buffer: the loop's own cost, its ceiling), where every check fails.
     */
    public Outcome runWithoutChecks(Allocator allocator) {
        return run(allocator, () -> { }, false);
    }

    private Outcome run(Allocator allocator, Runnable loopEnd, boolean check) {
        HandOffRing[] rings = new HandOffRing[threads];
        for (int i = 0; i < threads; i++) {
            rings[i] = new HandOffRing(RING);
        }
        Worker[] workers = new Worker[threads];
        Runnable[] tasks = new Runnable[threads];
        for (int i = 0; i < threads; i++) {
            Worker w = new Worker(allocator, rings[i], rings[(i + 1) % threads], new long[workingSet], seed + i, check);
            workers[i] = w;
            tasks[i] = () -> w.loop(iterations);
        }
        Together.Window window = Together.run(NAME, tasks);
        loopEnd.run();
        long allocations = 0;
        long frees = 0;
        for (Worker w : workers) {
            allocations += w.allocations;
            frees += w.frees;
        }
        Together.cleanUpThenRethrow(window.failure(), () -> { // the workers' writes are visible after join
            for (int i = 0; i < threads; i++) {
                HandOffRing.freeLeft(rings[i], workers[i].slots, workers[i]::free);
            }
        });
        return new Outcome(allocations + frees, window.nanos(), allocations, frees);
    }

    static void verifyAndFree(Allocator allocator, long p) {
        long size = Memory.getInt(p + 8);
        if (size < MIN || size > MAX) {
            throw new IllegalStateException("remote-free: block 0x" + Long.toHexString(p)
                    + " corrupted: its size word reads " + size);
        }
        long tag = Memory.getLong(p);
        if (tag != (p ^ size ^ TAG) || Memory.getByte(p + size - 1) != (byte) tag) {
            throw new IllegalStateException("remote-free: block 0x" + Long.toHexString(p) + " of " + size
                    + " bytes corrupted before its free");
        }
        allocator.free(p);
    }

    /** One thread's state: plain fields, read by the main thread only after join. */
    private static final class Worker {
        final Allocator allocator;
        final HandOffRing inbox;
        final HandOffRing outbox;
        final long[] slots;
        /** False only for {@link #runWithoutChecks}. */
        final boolean check;
        long state;
        long allocations;
        long frees;

        Worker(Allocator allocator, HandOffRing inbox, HandOffRing outbox, long[] slots, long seed, boolean check) {
            this.allocator = allocator;
            this.inbox = inbox;
            this.outbox = outbox;
            this.slots = slots;
            this.state = seed;
            this.check = check;
        }

        void free(long p) {
            if (check) {
                verifyAndFree(allocator, p);
            } else {
                allocator.free(p);
            }
        }

        void loop(long iterations) {
            long[] s = slots;
            long ws = s.length;
            long st = state;
            long allocs = 0;
            long fr = 0;
            for (long i = 0; i < iterations; i++) {
                long q;
                while ((q = inbox.poll()) != 0) {
                    free(q);
                    fr++;
                }
                st += SplitMix64.GAMMA;
                int slot = (int) Long.remainderUnsigned(SplitMix64.mix(st), ws);
                long p = s[slot];
                if (p != 0) {
                    s[slot] = 0;
                    if (!outbox.offer(p)) {
                        free(p);
                        fr++;
                    }
                } else {
                    st += SplitMix64.GAMMA;
                    long size = MIN + Long.remainderUnsigned(SplitMix64.mix(st), MAX - MIN + 1);
                    p = allocator.allocate(size);
                    long tag = p ^ size ^ TAG;
                    Memory.putLong(p, tag);
                    Memory.putInt(p + 8, (int) size);
                    Memory.putByte(p + size - 1, (byte) tag);
                    s[slot] = p;
                    allocs++;
                }
            }
            state = st;
            allocations = allocs;
            frees = fr;
        }
    }
}
