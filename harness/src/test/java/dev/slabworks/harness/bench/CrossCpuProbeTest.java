package dev.slabworks.harness.bench;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The host probe times a line's round trip between two threads, ends its partner, and its figure reaches the file. */
class CrossCpuProbeTest {
    private static final Contender DIRECT =
            new Contender("direct-only", Contender.Kind.STRATEGY, "x", DirectOnlyAllocator.FACTORY, null);

    private static boolean twoCpus() {
        return Runtime.getRuntime().availableProcessors() >= 2;
    }

    private static long partnersAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("slabworks-cpu-probe") && t.isAlive()).count();
    }

    /** A plausible round trip: above nothing, below 20 us (a probe that forgot to divide reads ~0.3 ms). */
    private static void plausible(double nanos) {
        assertThat(nanos).isPositive().isLessThan(20_000);
    }

    @Test
    void a_round_trip_takes_a_plausible_time_and_leaves_no_partner_running() throws Exception {
        assumeTrue(twoCpus(), "needs two CPUs");
        // NaN when the other CPU was too busy (a loaded machine: the harness runs two test JVMs): then nothing to judge
        List<Double> read = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            read.add(CrossCpuProbe.roundTripNanos());
        }
        awaitNoPartner();
        List<Double> measured = read.stream().filter(v -> !v.isNaN()).toList();
        assumeTrue(!measured.isEmpty(), "the other CPU was busy for every probe");
        assertThat(measured).allSatisfy(CrossCpuProbeTest::plausible);
    }

    @Test
    void a_partner_that_never_answers_gives_NaN_within_the_give_up_time() throws Exception {
        assumeTrue(twoCpus(), "needs two CPUs");
        long start = System.nanoTime();
        assertThat(CrossCpuProbe.measure(cells -> { })).isNaN();
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }

    @Test
    void a_partner_that_answers_once_a_millisecond_gives_NaN_once_the_budget_is_spent() throws Exception {
        assumeTrue(twoCpus(), "needs two CPUs");
        long start = System.nanoTime();
        // 22,000 round trips at 1 ms each would take 22 s; each answer comes inside the give-up time
        assertThat(CrossCpuProbe.measure(CrossCpuProbeTest::answerSlowly)).isNaN();
        assertThat(System.nanoTime() - start).isLessThan(3_000_000_000L);
        awaitNoPartner();
    }

    /** A partner that answers as the probe's does, but sleeps a millisecond first, and stops at -1. */
    private static void answerSlowly(long[] cells) {
        java.lang.invoke.VarHandle cell = java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);
        for (long expect = 1; ; expect += 2) {
            long v;
            while ((v = (long) cell.getAcquire(cells, 8)) != expect) {
                if (v == -1) {
                    return;
                }
                Thread.onSpinWait();
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
            if (!cell.compareAndSet(cells, 8, expect, expect + 1)) {
                return;
            }
        }
    }

    private static void awaitNoPartner() throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (partnersAlive() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(partnersAlive()).as("partner threads still running").isZero();
    }

    @Test
    void each_repetition_records_the_probe_and_the_results_file_keeps_it(@TempDir Path dir) {
        assumeTrue(twoCpus(), "needs two CPUs");
        RunResult r = bench(Knobs.defaults());
        assertThat(r.repetitions()).hasSize(2);
        assertThat(r.repetitions()).extracting(Repetition::crossCpuNanos).filteredOn(v -> !v.isNaN())
                .allSatisfy(CrossCpuProbeTest::plausible);

        Path json = dir.resolve("r.json");
        ResultsJson.write(json, ResultsJson.document(List.of(r), "test"));
        assertThat(ResultsJson.read(json).getFirst().repetitions()).extracting(Repetition::crossCpuNanos)
                .containsExactlyElementsOf(r.repetitions().stream().map(Repetition::crossCpuNanos).toList());
    }

    @Test
    void with_the_probe_off_a_repetition_records_none_and_the_file_says_null(@TempDir Path dir) throws Exception {
        RunResult r = bench(Knobs.defaults().with(HarnessKnobs.BENCH_CPU_PROBE, false));
        assertThat(r.repetitions()).hasSize(2).allSatisfy(rep -> assertThat(rep.crossCpuNanos()).isNaN());

        Path json = dir.resolve("off.json");
        ResultsJson.write(json, ResultsJson.document(List.of(r), "test"));
        assertThat(java.nio.file.Files.readString(json)).contains("\"crossCpuNanos\" : null");
        assertThat(ResultsJson.read(json).getFirst().repetitions())
                .allSatisfy(rep -> assertThat(rep.crossCpuNanos()).isNaN());
    }

    private static RunResult bench(Knobs knobs) {
        return new BenchRunner(2, 0, Progress.silent())
                .run(ContenderSetup.plain(List.of(DIRECT), knobs, List.of()),
                        List.of(new RandomMixed(1000, 64, 1, 16, 1024)))
                .getFirst();
    }
}
