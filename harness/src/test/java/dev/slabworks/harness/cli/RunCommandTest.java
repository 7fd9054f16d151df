package dev.slabworks.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slabworks.harness.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./slabworks run FILE}: an experiment file, dry or measured (a tiny one: a few milliseconds a row). */
class RunCommandTest {
    static final String TINY = """
            # a tiny experiment for the tests
            name = "tiny"
            question = "Does fc.cap change direct-only at all?"
            strategies = ["direct-only"]
            workloads = ["random-mixed 3000 64 1"]
            repetitions = 2
            warmup = 0

            [[contender]]
            label = "no cache"
            strategy = "direct-only"
            knobs = { "direct.cache.count" = 0 }

            [knobs]
            "ss.prewarm" = 1

            [sweep]
            "fc.cap" = "16..64:x4"
            """;

    static Path write(Path dir, String text) throws IOException {
        Path file = dir.resolve("tiny.toml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aDryRunPrintsTheMatrixAndTheEstimateAndWritesNothing(@TempDir Path dir) throws IOException {
        Path file = write(dir, TINY);
        Cli r = Cli.run("run", "--dry-run", "--results", dir.toString(), file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("experiment: tiny (" + file + ")", "question:   Does fc.cap change direct-only at all?",
                "direct-only fc.cap=16", "no cache fc.cap=64", "ss.prewarm=1 direct.cache.count=0 fc.cap=64",
                "random-mixed 3000 64 1 16 1024", "4 rows (2 values of fc.cap x 2 contenders) x 1 workload = 4 runs, "
                        + "8 repetitions with warm-up; estimated");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("tiny.toml");
        }
    }

    @Test
    void aDryRunEstimatesEachRowsWarmUpsWithThatRowsOwnFloor(@TempDir Path dir) throws IOException {
        Path file = write(dir, TINY.replace("warmup = 0", "warmup = 1")
                .replace("\"fc.cap\" = \"16..64:x4\"", "\"warmup.min.ms\" = \"0,600000\""));
        Cli r = Cli.run("run", "--dry-run", "--results", dir.toString(), file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        // two rows warm up for 10 minutes each, two for a moment: the default floor (100 ms) would say seconds
        assertThat(r.out()).contains("4 rows (2 values of warmup.min.ms x 2 contenders)", "estimated ~20m0");
    }

    @Test
    void aRunWritesResultsAndAReportWhoseHeaderCarriesTheFileAndTheKnobSources(@TempDir Path dir) throws IOException {
        Path file = write(dir, TINY);
        Cli r = Cli.run("run", "--results", dir.toString(), file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("experiment tiny: Does fc.cap change direct-only at all?",
                "4 rows (2 values of fc.cap x 2 contenders) on 1 workload: estimated");
        List<Path> results;
        try (Stream<Path> files = Files.list(dir)) {
            results = files.filter(p -> p.getFileName().toString().matches("tiny-\\d{8}-\\d{6}\\.json")).toList();
        }
        assertThat(results).hasSize(1);
        JsonNode root = new ObjectMapper().readTree(results.getFirst().toFile());
        assertThat(root.path("experiment").path("name").asText()).isEqualTo("tiny");
        assertThat(root.path("experiment").path("text").asText()).isEqualTo(TINY);
        JsonNode runs = root.path("runs");
        assertThat(runs).hasSize(4);
        JsonNode last = runs.get(3);
        assertThat(last.path("label").asText()).isEqualTo("no cache fc.cap=64");
        assertThat(last.path("knobSources").path("direct.cache.count").asText()).isEqualTo("contender");
        assertThat(last.path("knobSources").path("ss.prewarm").asText()).isEqualTo("experiment");
        assertThat(last.path("knobSources").path("fc.cap").asText()).isEqualTo("sweep");
        assertThat(last.path("opsPerSec")).hasSize(2);

        String html = Files.readString(Path.of(results.getFirst().toString().replace(".json", ".html")));
        assertThat(html).contains("<h1>tiny</h1>", "Does fc.cap change direct-only at all?", "# a tiny experiment for the tests",
                "<th>commit</th>", "<th>JDK</th>", "<th>machine</th>", "ops/s by fc.cap",
                "<td>direct.cache.count</td><td>16, 0 (by row)</td><td>default, contender</td>");
    }

    @Test
    void twoRunsStartedTogetherWriteTwoFiles(@TempDir Path dir) throws IOException {
        Path file = write(dir, TINY.replace("[sweep]\n\"fc.cap\" = \"16..64:x4\"\n", "").replace("repetitions = 2", "repetitions = 1"));
        Cli a = Cli.run("run", "--results", dir.toString(), file.toString());
        Cli b = Cli.run("run", "--results", dir.toString(), file.toString());
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(b.exit()).as(b.err()).isZero();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".json")).count()).isEqualTo(2);
        }
    }

    @Test
    void aBadFileIsOneLineAndExit2() throws IOException {
        Cli missing = Cli.run("run", "/no/such.toml");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.errorLines()).containsExactly(
                "slabworks run: experiment file not found: /no/such.toml (see 'slabworks run --help')");
    }

    @Test
    void theLruSweepDryRunsFromTheCheckout() {
        Cli r = Cli.run("run", "--dry-run", Path.of("..", "experiments", "lru-sweep.toml").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("superslab ss.lru.size=0", "superslab ss.lru.size=64", "estimated");
    }
}
