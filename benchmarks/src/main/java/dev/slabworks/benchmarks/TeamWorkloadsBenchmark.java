package dev.slabworks.benchmarks;

import dev.slabworks.harness.workload.DistMixed;
import dev.slabworks.harness.workload.HakmemRandomMixed;
import dev.slabworks.harness.workload.Larson;
import dev.slabworks.harness.workload.MtRemote;
import dev.slabworks.harness.workload.RemoteFree;
import dev.slabworks.harness.workload.SizeDistribution;
import dev.slabworks.harness.workload.Workload;
import dev.slabworks.harness.workload.Xmalloc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The allocator team's own workloads through the harness's loops, one benchmark each; an invocation is
 * one whole run, and {@code @OperationsPerInvocation} makes the score the figure named below per second.
 * <ul>
 *   <li>{@code hakmemSeed}: {@code hakmem-random-mixed 200000 4096 1234567}, the seed benchmark; its
 *       untimed warm-up and prefault (knobs {@code bench.warmup}, {@code bench.prefault}: {@code -p set=...})
 *       run in a per-invocation set-up, so the score is CYCLES per second of the loop and drain, as in the
 *       harness and the C program (the syscall counters span the whole iteration, prefaults included).</li>
 *   <li>{@code distMixed}: {@code dist-mixed 2000000 400 1234567 DIST}, iterations/s; {@code -p dist=...}
 *       (default {@code app}; e.g. {@code uniform:16:2048}, {@code uniform:4096:32768}).</li>
 *   <li>{@code mtRemote}: {@code mt-remote 2 200000 400 16 2048 90}; the score counts each thread's
 *       iterations (an allocation or an emptied slot each), not the frees of received blocks that come on top
 *       (about 0.9 per emptied slot), because their number depends on the interleaving.</li>
 *   <li>{@code remoteFree}: {@code remote-free 2 200000 4096 1234567}, the loop the harness runs (the README's
 *       standard arguments but for a tenth of the iterations), so a profile ({@code -prof perfasm}) shows what its
 *       remote frees cost; the score counts each thread's iterations (an allocation or a full slot handed to the
 *       other thread), not the frees of received blocks that come on top, for the reason given for mtRemote.</li>
 *   <li>{@code larson}: {@code larson 2 - 8 1000 1000 50} bounded by work instead of time: each lane runs two
 *       threads of 50 x 1000 iterations ({@link Larson#runGenerations}); allocations + frees per second.</li>
 *   <li>{@code larsonOneThread}: {@code larson 1 - 8 1000 1000 2000} as one thread of 2000 x 1000 iterations:
 *       one thread start and exit per invocation (~50 ms; the benchmark's thread fills and empties the array, so
 *       the first 1,000 frees are remote), otherwise larson's loop alone, so a profile ({@code -prof perfasm})
 *       shows what an allocation and a free of larson's mix cost; allocations + frees per second.</li>
 *   <li>{@code xmalloc}: {@code xmalloc 2 100000 16 256}, allocations + frees per second.</li>
 * </ul>
 * The multi-thread runs start their threads inside the invocation (microseconds against tens of
 * milliseconds); {@code larson} fills and empties its arrays inside it too (1 % of its ops).
 *
 * <pre>
 *   ./slabworks jmh TeamWorkloadsBenchmark
 *   ./slabworks jmh 'TeamWorkloadsBenchmark.distMixed' -p dist=uniform:16:2048,uniform:4096:32768 -p strategy=glibc,superslab
 *   ./slabworks jmh 'TeamWorkloadsBenchmark.hakmemSeed' -p set='bench.prefault=0'
 * </pre>
 */
public class TeamWorkloadsBenchmark extends SuiteRunSettings {
    static final HakmemRandomMixed SEED = new HakmemRandomMixed(200_000, 4096, 1234567,
            HakmemRandomMixed.DEFAULT_MIN, HakmemRandomMixed.DEFAULT_MAX);
    static final MtRemote MT_REMOTE = new MtRemote(2, 200_000, 400, 16, 2048, 90, MtRemote.DEFAULT_RING_SLOTS);
    static final RemoteFree REMOTE_FREE = new RemoteFree(2, 200_000, 4096, 1234567);
    static final Larson LARSON = new Larson(2, 1_000_000_000L, 8, 1000, 1000, 50);
    static final int LARSON_GENERATIONS = 2;
    static final int LARSON_ONE_THREAD_ROUNDS = 2000;
    /** larson's loop on one lane, run by one thread of ROUNDS x 1000 iterations per invocation. */
    static final Larson LARSON_ONE_THREAD = new Larson(1, 1_000_000_000L, 8, 1000, 1000, LARSON_ONE_THREAD_ROUNDS);
    static final Xmalloc XMALLOC = new Xmalloc(2, 100_000, 16, 256);

    /** The seed benchmark's slots after its untimed phases, made afresh before every invocation. */
    @State(Scope.Thread)
    public static class Prefaulted {
        HakmemRandomMixed.Prepared prepared;

        @Setup(Level.Invocation)
        public void prefault(AllocatorState s) {
            prepared = SEED.prepare(s.allocator);
        }
    }

    /** {@code dist-mixed}'s size distribution. */
    @State(Scope.Thread)
    public static class Dist {
        @Param({"app"})
        public String dist;

        DistMixed workload;

        @Setup(Level.Trial)
        public void parse() {
            workload = new DistMixed(2_000_000, 400, 1234567, SizeDistribution.parse(dist));
        }
    }

    @Benchmark
    @OperationsPerInvocation(200_000)
    public Workload.Outcome hakmemSeed(AllocatorState s, Prefaulted p, Syscalls syscalls) {
        return SEED.timed(s.allocator, p.prepared);
    }

    @Benchmark
    @OperationsPerInvocation(2_000_000)
    public Workload.Outcome distMixed(AllocatorState s, Dist d, Syscalls syscalls) {
        return d.workload.run(s.allocator);
    }

    @Benchmark
    @OperationsPerInvocation(2 * 200_000)
    public Workload.Outcome mtRemote(AllocatorState s, Syscalls syscalls) {
        return MT_REMOTE.run(s.allocator);
    }

    @Benchmark
    @OperationsPerInvocation(2 * 200_000)
    public Workload.Outcome remoteFree(AllocatorState s, Syscalls syscalls) {
        // none's blocks all overlap, so the loop's tag checks would fail on it by design
        return s.allocator instanceof NoAllocation ? REMOTE_FREE.runWithoutChecks(s.allocator) : REMOTE_FREE.run(s.allocator);
    }

    @Benchmark
    @OperationsPerInvocation(2 * 2 * LARSON_GENERATIONS * 50 * 1000)
    public Workload.Outcome larson(AllocatorState s, Syscalls syscalls) {
        return LARSON.runGenerations(s.allocator, LARSON_GENERATIONS);
    }

    @Benchmark
    @OperationsPerInvocation(2 * LARSON_ONE_THREAD_ROUNDS * 1000)
    public Workload.Outcome larsonOneThread(AllocatorState s, Syscalls syscalls) {
        return LARSON_ONE_THREAD.runGenerations(s.allocator, 1);
    }

    @Benchmark
    @OperationsPerInvocation(2 * 2 * 100_000)
    public Workload.Outcome xmalloc(AllocatorState s, Syscalls syscalls) {
        return XMALLOC.run(s.allocator);
    }
}
