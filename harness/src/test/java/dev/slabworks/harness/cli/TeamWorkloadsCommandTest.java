package dev.slabworks.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.slabworks.harness.cli.CommandErrorsTest.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

/** The allocator team's workloads through the command line: results, every contender, errors. */
class TeamWorkloadsCommandTest {
    static JsonNode runs(Path json) throws IOException {
        return new ObjectMapper().readTree(json.toFile()).path("runs");
    }

    static Cli bench(Path json, String... rest) {
        List<String> args = new ArrayList<>(List.of("bench", "--reps", "1", "--warmup", "0", "--json", json.toString()));
        args.addAll(List.of(rest));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void theSeedBenchmarkRecordsTheCProgramsAllocationsWithAndWithoutPrefault(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("seed.json");
        Cli r = bench(json, "--strategy", "mimalloc-like", "hakmem-random-mixed", "200000", "4096", "1234567");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode run = runs(json).get(0);
        assertThat(run.path("stats").path(Stat.ALLOCATIONS.key()).asLong()).isEqualTo(111_046);
        assertThat(run.path("knobs").path(HarnessKnobs.BENCH_PREFAULT.key()).asText()).isEqualTo("-1");
        assertThat(run.path("workloadCounts").path("prefaultAllocations").asLong()).isEqualTo(11_046);
        assertThat(run.path("ops").asLong()).isEqualTo(200_000);
        assertThat(r.out()).contains("counts: warmupAllocations 0, prefaultAllocations 11,046");

        Path none = dir.resolve("no-prefault.json");
        r = bench(none, "--strategy", "mimalloc-like", "--set", "bench.prefault=0",
                "hakmem-random-mixed", "200000", "4096", "1234567");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(runs(none).get(0).path("stats").path(Stat.ALLOCATIONS.key()).asLong()).isEqualTo(101_003);
        assertThat(runs(none).get(0).path("knobs").path(HarnessKnobs.BENCH_PREFAULT.key()).asText()).isEqualTo("0");
    }

    @Test
    void everyNewWorkloadRunsOnEveryStrategyAndBaseline(@TempDir Path dir) throws IOException {
        List<List<String>> workloads = List.of(
                List.of("hakmem-random-mixed", "20000", "512", "1234567"),
                List.of("dist-mixed", "20000", "400", "1234567", "app"),
                List.of("mt-remote", "2", "5000", "400", "16", "2048", "90", "1024"),
                List.of("larson", "2", "0.02", "8", "1000", "200", "5"),
                List.of("xmalloc", "2", "5000", "16", "256"));
        int contenders = -1;
        for (List<String> w : workloads) {
            Path json = dir.resolve(w.getFirst() + ".json");
            List<String> args = new ArrayList<>(List.of("--strategy", "all"));
            args.addAll(w);
            Cli r = bench(json, args.toArray(String[]::new));
            assertThat(r.exit()).as(w + ": " + r.err()).isZero();
            assertThat(r.out()).as(w.toString()).doesNotContain("FAILED").contains(w.getFirst() + " " + w.get(1));
            if (w.getFirst().equals("hakmem-random-mixed")) { // the same ops on every contender: one line of counts
                assertThat(r.out()).contains("every contender  counts: warmupAllocations 0,");
            }
            JsonNode runs = runs(json);
            if (contenders < 0) {
                contenders = runs.size();
                assertThat(contenders).isGreaterThanOrEqualTo(4); // the three strategies and glibc at least
            }
            assertThat(runs).as(w.toString()).hasSize(contenders);
            for (JsonNode run : runs) {
                assertThat(run.path("workload").asText()).isEqualTo(w.getFirst());
                assertThat(run.path("opsPerSecMedian").asDouble()).as(w + " " + run.path("strategy")).isPositive();
                assertThat(run.path("workloadCounts").isObject()).isTrue();
            }
        }
    }

    @Test
    void badArgumentsAreOneLineErrorsWithExitTwo() {
        List<Cli> bad = List.of(
                Cli.run("bench", "hakmem-random-mixed", "10", "5", "-3"),
                Cli.run("bench", "dist-mixed", "10", "400", "1", "uniform:9:3"),
                Cli.run("bench", "mt-remote", "2", "10", "400", "16", "2048", "90", "3"),
                Cli.run("bench", "larson", "2", "never", "8", "1000", "200", "5"),
                Cli.run("bench", "xmalloc", "2", "10", "16"),
                Cli.run("bench", "--set", "bench.prefault=-5", "hakmem-random-mixed", "10", "5", "1"));
        for (Cli r : bad) {
            assertOneLineError(r, "slabworks bench:");
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
        }
    }

    @Test
    void theHelpNamesEveryWorkload() {
        Cli r = Cli.run("bench", "--help");
        assertThat(r.out()).contains("hakmem-random-mixed CYCLES WS SEED [MIN MAX]", "dist-mixed ITERS WS SEED DIST", "80% 16-256",
                "mt-remote THREADS ITERS WS MIN MAX REMOTE_PCT [RING_SLOTS]",
                "larson THREADS SECONDS MIN MAX BLOCKS_PER_THREAD ROUNDS", "xmalloc THREADS ITERS MIN MAX");
    }
}
