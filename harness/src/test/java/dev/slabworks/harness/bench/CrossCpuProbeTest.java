package dev.slabworks.harness.bench;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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

    @Test
    void a_round_trip_takes_a_positive_time_below_a_millisecond_and_leaves_no_partner_running() throws Exception {
        assumeTrue(twoCpus(), "needs two CPUs");
        for (int i = 0; i < 3; i++) {
            double nanos = CrossCpuProbe.roundTripNanos();
            // NaN only when the partner was not scheduled for 50 ms: not on an idle test machine
            assertThat(nanos).isPositive().isLessThan(1_000_000);
        }
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
        assertThat(r.repetitions()).hasSize(2)
                .allSatisfy(rep -> assertThat(rep.crossCpuNanos()).isPositive().isLessThan(1_000_000));

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
                .run(ContenderSetup.plain(List.of(DIRECT), knobs, List.of()), List.of(new RandomMixed(1000, 64, 1, 16, 1024)))
                .getFirst();
    }
}
