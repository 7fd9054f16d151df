package dev.slabworks.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slabworks.harness.testing.Cli;
import dev.slabworks.harness.testing.DirectOnlyModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Sweeps ({@code --set KEY=V1,V2}), several workloads in one run, and results files that are never overwritten. */
class SweepCommandTest {
    @Test
    void aSweptKnobGivesOneLabelledRowPerValueInTheTableAndTheResults(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("lru.json");
        Cli r = Cli.run("bench", "--set", "ss.lru.size=0,4,16", "--strategy", "superslab", "--reps", "1", "--warmup", "0",
                "--json", json.toString(), "random-mixed", "200000", "4096", "1234567");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("3 rows (3 values of ss.lru.size x 1 contender) on 1 workload: estimated");
        assertThat(r.out()).containsPattern("(?m)^superslab ss.lru.size=0 +strategy")
                .containsPattern("(?m)^superslab ss.lru.size=4 +strategy")
                .containsPattern("(?m)^superslab ss.lru.size=16 +strategy");
        JsonNode runs = new ObjectMapper().readTree(json.toFile()).path("runs");
        assertThat(runs).hasSize(3);
        String[] values = {"0", "4", "16"};
        for (int i = 0; i < 3; i++) {
            JsonNode run = runs.get(i);
            assertThat(run.path("strategy").asText()).isEqualTo("superslab");
            assertThat(run.path("label").asText()).isEqualTo("superslab ss.lru.size=" + values[i]);
            assertThat(run.path("point").path("ss.lru.size").asText()).isEqualTo(values[i]);
            assertThat(run.path("knobs").path("ss.lru.size").asText()).isEqualTo(values[i]);
            assertThat(run.path("knobSources").path("ss.lru.size").asText()).isEqualTo("sweep");
            assertThat(run.path("knobSources").path("fc.cap").asText()).isEqualTo("default");
            assertThat(run.path("repetitions")).hasSize(1);
            assertThat(run.path("opsPerSecCi").path("low").asDouble()).isPositive();
        }
        String html = Files.readString(dir.resolve("lru.html"));
        assertThat(html).contains("ops/s by ss.lru.size", "ss.lru.size</td><td>0, 4, 16 (by row)</td><td>sweep");
        assertThat(dir.resolve("lru-1-sweep-ops.svg")).exists();
        assertThat(dir.resolve("lru-1-sweep-memory.svg")).exists();
    }

    @Test
    void severalWorkloadsRunOnEveryContenderIntoOneResultsFile(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("two.json");
        Cli r = Cli.run("bench", "--strategy", DirectOnlyModule.NAME, "--strategy", "glibc", "--reps", "1", "--warmup", "0",
                "--workload", "random-mixed 3000 64 1", "--workload", "hakmem-random-mixed 3000 64 1",
                "--json", json.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("random-mixed 3000 64 1 16 1024   (median", "hakmem-random-mixed 3000 64 1 16 1039   (median");
        JsonNode runs = new ObjectMapper().readTree(json.toFile()).path("runs");
        assertThat(runs).hasSize(4);
        assertThat(runs.get(0).path("workload").asText()).isEqualTo("random-mixed");
        assertThat(runs.get(3).path("workload").asText()).isEqualTo("hakmem-random-mixed");
    }

    @Test
    void aWorkloadIsRequiredOneWayOrTheOther() {
        Cli r = Cli.run("bench", "--strategy", "glibc");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errorLines()).hasSize(1);
        assertThat(r.err()).contains("missing WORKLOAD: give it after the options or with --workload");
        assertThat(Cli.run("bench", "--strategy", "glibc", "--workload", " ").err()).contains("--workload is empty");
    }

    @Test
    void aResultsFileThatExistsIsRefusedBeforeAnythingRunsUnlessForced(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("taken.json");
        Files.writeString(json, "{}");
        Cli refused = Cli.run("bench", "--strategy", "glibc", "--reps", "1", "--warmup", "0", "--json", json.toString(),
                "random-mixed", "3000", "64", "1");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains(json + " exists; give another --json FILE, or --force to overwrite it")
                .doesNotContain("repetition");
        assertThat(Files.readString(json)).isEqualTo("{}");
        Cli forced = Cli.run("bench", "--strategy", "glibc", "--reps", "1", "--warmup", "0", "--json", json.toString(),
                "--force", "random-mixed", "3000", "64", "1");
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(Files.readString(json)).contains("slabworks.result/1");
    }

    @Test
    void aSweepBeyondTheLimitIsRefusedUpFront() {
        Cli r = Cli.run("bench", "--strategy", "glibc", "--set", "fc.cap=0..64:+1", "random-mixed", "3000", "64", "1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("65 rows (65 values of fc.cap x 1 contender) is more than the knob sweep.limit "
                + "allows (64)");
    }
}
