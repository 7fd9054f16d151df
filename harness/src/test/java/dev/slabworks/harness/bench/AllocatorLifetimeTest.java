package dev.slabworks.harness.bench;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.testing.CountingAllocator;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.wiring.Contenders;
import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.harness.workload.TraceReplay;
import dev.slabworks.harness.workload.Workload;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AllocatorLifetimeTest {
    private static final RandomMixed SMALL = new RandomMixed(1_000, 64, 1, 16, 1024);

    /** A counting allocator that also counts its trims and closes. */
    private static class Watched extends CountingAllocator {
        int trims;
        int closes;

        Watched(Allocator delegate) {
            super(delegate);
        }

        @Override
        public void trim() {
            trims++;
            super.trim();
        }

        @Override
        public void close() {
            closes++;
            super.close();
        }
    }

    /** Direct-only allocators that remember each one made and how many blocks it handed out. */
    private static class Recording implements AllocatorFactory {
        final List<Watched> made = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public String description() {
            return "direct-only, recorded";
        }

        @Override
        public Allocator create(Knobs knobs, Os os) {
            Watched a = new Watched(new DirectOnlyAllocator(knobs, os));
            made.add(a);
            return a;
        }
    }

    /** A bench run; a warm-up has no time floor unless {@code sets} gives one (see {@link #noTimeFloor}). */
    private static List<RunResult> run(AllocatorFactory factory, Map<String, String> sets, int reps, int warmup,
                                       Workload workload) {
        Knobs knobs = Contenders.create(noTimeFloor(sets)).knobs();
        Contender c = new Contender(factory.name(), Contender.Kind.STRATEGY, "x", factory, null);
        return new BenchRunner(reps, warmup, Progress.silent())
                .run(ContenderSetup.plain(List.of(c), knobs, List.of()), List.of(workload));
    }

    private static List<RunResult> runStrategy(String strategy, String lifetime, Workload workload) {
        Contenders contenders = Contenders.create(noTimeFloor(Map.of(HarnessKnobs.ALLOCATOR_LIFETIME.key(), lifetime,
                HarnessKnobs.WARMUP_MIN_OPS.key(), "0")));
        return new BenchRunner(3, 1, Progress.silent())
                .run(ContenderSetup.plain(contenders.select(List.of(strategy)), contenders.knobs(), List.of()),
                        List.of(workload));
    }

    @Test
    void lifetime_REPETITION_makes_a_fresh_allocator_for_every_warm_up_and_repetition() {
        Recording r = new Recording();
        run(r, Map.of(HarnessKnobs.ALLOCATOR_LIFETIME.key(), "REPETITION", HarnessKnobs.WARMUP_MIN_OPS.key(), "0"),
                3, 2, SMALL);
        assertThat(r.made).as("one for the untimed live-bytes replay, then 2 warm-ups and 3 repetitions").hasSize(6);
    }

    @Test
    void lifetime_RUN_keeps_one_allocator_through_the_warm_ups_and_repetitions() {
        Recording r = new Recording();
        List<RunResult> results = run(r, Map.of(HarnessKnobs.ALLOCATOR_LIFETIME.key(), "RUN",
                HarnessKnobs.WARMUP_MIN_OPS.key(), "0"), 3, 2, SMALL);
        assertThat(results.getFirst().failed()).as(results.getFirst().error()).isFalse();
        assertThat(r.made).as("the live-bytes replay's and the run's").hasSize(2);
        Watched kept = r.made.get(1);
        assertThat(kept.allocations).as("five runs of the workload on it").isEqualTo(5 * r.made.get(0).allocations);
        assertThat(kept.liveBlocks()).isZero();
        assertThat(kept.trims).as("trimmed once, after the last repetition").isEqualTo(1);
        assertThat(kept.closes).isEqualTo(1);
    }

    @Test
    void a_kept_allocator_is_closed_when_a_repetition_fails() {
        Recording r = new Recording() {
            @Override
            public Allocator create(Knobs knobs, Os os) {
                boolean theKeptOne = made.size() == 1; // after the live-bytes replay's
                Watched a = new Watched(new DirectOnlyAllocator(knobs, os)) {
                    @Override
                    public long allocate(long size) {
                        if (theKeptOne && allocations == 100) {
                            throw new IllegalStateException("broken on purpose");
                        }
                        return super.allocate(size);
                    }
                };
                made.add(a);
                return a;
            }
        };
        List<RunResult> results = run(r, Map.of(HarnessKnobs.ALLOCATOR_LIFETIME.key(), "RUN",
                HarnessKnobs.WARMUP_MIN_OPS.key(), "0"), 3, 2, SMALL);
        assertThat(results.getFirst().failed()).isTrue();
        assertThat(results.getFirst().error()).contains("broken on purpose");
        assertThat(r.made).allSatisfy(a -> assertThat(a.closes).isEqualTo(1));
    }

    @Test
    void a_workload_of_no_operations_ends_its_warm_ups() {
        Recording r = new Recording();
        Workload none = dev.slabworks.harness.workload.Workloads.parse(List.of("xmalloc", "1", "0", "16", "64"));
        List<RunResult> results = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(30), () -> run(r, Map.of(), 1, 2, none));
        assertThat(results).hasSize(1);
    }

    /**
     * {@code sets} with {@code warmup.min.ms} 0 unless it says otherwise, and no warm-up beyond {@code --warmup} for a
     * JIT still compiling (WarmUpTest's business): the counts below are of runs, not of time.
     */
    private static Map<String, String> noTimeFloor(Map<String, String> sets) {
        Map<String, String> all = new HashMap<>(Map.of(HarnessKnobs.WARMUP_MIN_MS.key(), "0",
                HarnessKnobs.WARMUP_EXTRA_MAX.key(), "0"));
        all.putAll(sets);
        return all;
    }

    @Test
    void a_warm_up_runs_its_workload_until_it_has_run_warmup_min_ms() {
        Recording r = new Recording();
        long start = System.nanoTime();
        run(r, Map.of(HarnessKnobs.ALLOCATOR_LIFETIME.key(), "REPETITION", HarnessKnobs.WARMUP_MIN_OPS.key(), "0",
                HarnessKnobs.WARMUP_MIN_MS.key(), "150"), 1, 2, SMALL);
        assertThat(System.nanoTime() - start).as("two warm-ups of at least 150 ms").isGreaterThanOrEqualTo(300_000_000L);
        assertThat(r.made).as("a 1,000-op run takes well under 150 ms: several runs per warm-up").hasSizeGreaterThan(1 + 2 * 2 + 1);
    }

    @Test
    void a_warm_up_runs_its_workload_until_it_has_made_warmup_min_ops_operations() {
        Recording r = new Recording();
        // random-mixed 1000 makes 1,000 ops a run: 2,500 ops take three runs per warm-up
        run(r, Map.of(HarnessKnobs.ALLOCATOR_LIFETIME.key(), "REPETITION", HarnessKnobs.WARMUP_MIN_OPS.key(), "2500"),
                1, 2, SMALL);
        assertThat(r.made).as("the replay's, 2 warm-ups of 3 runs each, 1 repetition").hasSize(1 + 2 * 3 + 1);
    }

    @Test
    void kept_allocator_repetitions_count_their_own_syscalls_and_fresh_ones_a_whole_runs() {
        RandomMixed seedLike = new RandomMixed(20_000, 4096, 1234567, 16, 1024);
        RunResult kept = runStrategy("superslab", "RUN", seedLike).getFirst();
        RunResult fresh = runStrategy("superslab", "REPETITION", seedLike).getFirst();

        assertThat(fresh.repetitions()).allSatisfy(rep ->
                assertThat(rep.syscalls().get("mmap")).as("a fresh allocator maps its SuperSlabs").isPositive());
        assertThat(kept.repetitions()).allSatisfy(rep ->
                assertThat(rep.syscalls().get("mmap")).as("a warm one maps nothing new").isZero());
        assertThat(kept.knobs()).containsEntry(HarnessKnobs.ALLOCATOR_LIFETIME.key(), "RUN");
        assertThat(fresh.knobs()).containsEntry(HarnessKnobs.ALLOCATOR_LIFETIME.key(), "REPETITION");
        assertThat(kept.memory().residentBytesAfterTrim()).as("trimmed once, after the last").isNotNegative();
    }

    @Test
    void AUTO_keeps_the_allocator_for_a_trace_replay_and_not_for_a_loop() throws URISyntaxException {
        TraceReplay trace = new TraceReplay(Path.of(AllocatorLifetimeTest.class.getResource("/traces/sort-3000-lines.mtrace").toURI()));
        Knobs auto = Contenders.create(Map.of()).knobs();
        assertThat(AllocatorLifetime.of(auto, trace)).isEqualTo(AllocatorLifetime.RUN);
        assertThat(AllocatorLifetime.of(auto, SMALL)).isEqualTo(AllocatorLifetime.REPETITION);
        Knobs set = Contenders.create(Map.of(HarnessKnobs.ALLOCATOR_LIFETIME.key(), "REPETITION")).knobs();
        assertThat(AllocatorLifetime.of(set, trace)).as("a setting wins over AUTO").isEqualTo(AllocatorLifetime.REPETITION);
    }
}
