package dev.slabworks.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slabworks.harness.testing.Cli;
import dev.slabworks.harness.testing.DirectOnlyModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static dev.slabworks.harness.cli.CommandErrorsTest.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

/** Options before the verb apply to it when it takes them, and are refused with one line when it does not. */
class OptionsBeforeTheVerbTest {
    private static JsonNode firstRun(Path json) throws IOException {
        return new ObjectMapper().readTree(json.toFile()).path("runs").get(0);
    }

    @Test
    void setRepsWarmupAndStrategyBeforeBenchAreHonoured(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("r.json");
        Cli r = Cli.run("--set", "ss.lru.size=0", "--reps", "1", "--warmup", "0", "--strategy", DirectOnlyModule.NAME,
                "bench", "--json", json.toString(), "random-mixed", "2000", "64", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode run = firstRun(json);
        assertThat(run.path("strategy").asText()).isEqualTo(DirectOnlyModule.NAME);
        assertThat(run.path("knobs").path("ss.lru.size").asText()).isEqualTo("0");
        assertThat(run.path("opsPerSec")).hasSize(1);
        assertThat(run.path("warmup").asInt()).isZero();
        assertThat(r.out()).contains("(median of 1 repetition)");
    }

    @Test
    void aSetAfterTheVerbComesLaterAndWinsAndBothListsAreKept(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("r.json");
        Cli r = Cli.run("--set", "fc.cap=8", "--set", "fc.refill=4", "--reps", "3", "--strategy", "glibc",
                "bench", "--set", "fc.cap=16", "--reps", "1", "--warmup", "0", "--strategy", DirectOnlyModule.NAME,
                "--json", json.toString(), "random-mixed", "2000", "64", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode runs = new ObjectMapper().readTree(json.toFile()).path("runs");
        assertThat(runs).extracting(n -> n.path("strategy").asText()).containsExactly("glibc", DirectOnlyModule.NAME);
        assertThat(runs.get(1).path("knobs").path("fc.cap").asText()).isEqualTo("16");
        assertThat(runs.get(1).path("knobs").path("fc.refill").asText()).isEqualTo("4");
        assertThat(runs.get(1).path("opsPerSec")).as("--reps after the verb wins").hasSize(1);
    }

    @Test
    void aKnobBeforeAReliabilityOrListingVerbReachesIt() {
        assertOneLineError(Cli.run("--set", "validation=sometimes", "hostile"), "slabworks hostile:", "validation");
        Cli knobs = Cli.run("--set", "regression.threshold=7.5", "knobs");
        assertThat(knobs.exit()).isZero();
        assertThat(knobs.out()).containsPattern("regression.threshold\\s+SLABWORKS_REGRESSION_THRESHOLD\\s+7.5\\s+command_line");
    }

    @Test
    void anOptionTheVerbDoesNotTakeIsRefusedNamingTheOnesItTakes() {
        assertOneLineError(Cli.run("--reps", "1", "knobs"), "slabworks knobs: --reps (before 'knobs') does not apply to knobs",
                "its options: --set");
        assertOneLineError(Cli.run("--strategy", "glibc", "compare", "a.json", "b.json"), "--strategy", "does not apply to compare");
        assertOneLineError(Cli.run("--results", "/tmp", "bench", "random-mixed", "1", "1", "1"), "--results", "bench");
        assertOneLineError(Cli.run("--set", "fc.cap=1", "strategies"), "does not apply to strategies", "it takes no options");
    }

    @Test
    void anOptionBeforeALauncherVerbSaysTheLauncherReadsThemAfterIt() {
        assertOneLineError(Cli.run("--set", "fc.cap=1", "jmh"), "slabworks jmh:", "options after it",
                "./slabworks jmh [JMH OPTIONS...]");
    }
}
