package dev.slabworks.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slabworks.harness.testing.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CompareCommandTest {
    @TempDir
    static Path dir;
    static Path old;

    @BeforeAll
    static void measureOnce() {
        old = dir.resolve("old.json");
        Cli r = BenchAndProfileCommandTest.bench(old);
        assertThat(r.exit()).as(r.err()).isZero();
    }

    /** A copy of OLD whose first run (direct-only) has its throughput scaled and its mmap count raised. */
    static Path edited(String name, double opsFactor, long extraMmaps) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(old.toFile());
        ObjectNode run = (ObjectNode) root.path("runs").get(0);
        ArrayNode reps = (ArrayNode) run.path("opsPerSec");
        for (int i = 0; i < reps.size(); i++) {
            reps.set(i, reps.get(i).asDouble() * opsFactor);
        }
        run.put("opsPerSecMedian", run.path("opsPerSecMedian").asDouble() * opsFactor);
        ObjectNode mmap = (ObjectNode) run.path("syscalls").path("mmap");
        mmap.put("count", mmap.path("count").asLong() + extraMmaps);
        Path out = dir.resolve(name);
        mapper.writeValue(out.toFile(), root);
        return out;
    }

    @Test
    void theSameResultsHaveNoRegression() {
        Cli r = Cli.run("compare", old.toString(), old.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("direct-only", "glibc", "+0.0%", "No regression beyond 5.0%",
                "OLD SYS, NEW SYS: mmap + munmap + madvise + mincore in one run (allocator setup, loop and final frees; close() not included)");
    }

    @Test
    void aThroughputDropBeyondTheThresholdIsFlaggedAndFailsTheCommand() throws IOException {
        Cli r = Cli.run("compare", old.toString(), edited("slower.json", 0.80, 0).toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Regression Alert: direct-only on random-mixed 20000 256 1234567 16 1024: throughput -20.0%");
    }

    @Test
    void theThresholdIsTheRegressionThresholdKnob() throws IOException {
        Path slower = edited("slower-a-bit.json", 0.80, 0);
        assertThat(Cli.run("compare", "--set", "regression.threshold=25", old.toString(), slower.toString()).exit()).isZero();
        assertThat(Cli.run("compare", "--set", "regression.threshold=15", old.toString(), slower.toString()).exit()).isEqualTo(1);
    }

    @Test
    void moreSyscallsAreARegressionAndAGainIsNot() throws IOException {
        Cli more = Cli.run("compare", old.toString(), edited("more-mmaps.json", 1.0, 100_000).toString());
        assertThat(more.exit()).isEqualTo(1);
        assertThat(more.out()).contains("Regression Alert", "syscalls +");
        Cli faster = Cli.run("compare", old.toString(), edited("faster.json", 1.5, 0).toString());
        assertThat(faster.exit()).isZero();
        assertThat(faster.out()).contains("+50.0%");
    }
}
