package dev.slabworks.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.harness.bench.ForkedBench;
import dev.slabworks.harness.report.SideBySideTable;
import dev.slabworks.harness.testing.Cli;
import dev.slabworks.harness.testing.DirectOnlyModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

class BenchAndProfileCommandTest {
    static final String[] SMALL = {"random-mixed", "20000", "256", "1234567"};

    static Cli bench(Path json, String... extra) {
        List<String> args = new ArrayList<>(List.of("bench", "--strategy", DirectOnlyModule.NAME, "--strategy", "glibc",
                "--reps", "3", "--warmup", "1", "--set", "fc.cap=64", "--json", json.toString()));
        args.addAll(List.of(extra));
        args.addAll(List.of(SMALL));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void benchPrintsTheSideBySideTableAndWritesResultsMatchingTheSchema(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("r.json");
        Cli r = bench(json);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("random-mixed 20000 256 1234567 16 1024", "OPS/S", "vs GLIBC", "MMAP",
                DirectOnlyModule.NAME, "glibc", "1.00x");

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("schema").asText()).isEqualTo("slabworks.result/1");
        assertThat(root.path("jdk").asText()).contains("25");
        assertThat(root.has("commit")).isTrue();
        assertThat(root.path("machine").path("cpus").asInt()).isPositive();
        JsonNode runs = root.path("runs");
        assertThat(runs).hasSize(2);
        JsonNode direct = runs.get(0);
        assertThat(direct.path("strategy").asText()).isEqualTo(DirectOnlyModule.NAME);
        assertThat(direct.path("kind").asText()).isEqualTo("strategy");
        assertThat(direct.path("workload").asText()).isEqualTo("random-mixed");
        assertThat(direct.path("args")).extracting(JsonNode::asText).containsExactly("20000", "256", "1234567", "16", "1024");
        assertThat(direct.path("knobs").path(Knob.FC_CAP.key()).asText()).isEqualTo("64");
        assertThat(direct.path("opsPerSec")).hasSize(3);
        assertThat(direct.path("opsPerSecMedian").asDouble()).isPositive();
        assertThat(direct.path("ops").asLong()).isEqualTo(20000);
        for (String call : List.of("mmap", "munmap", "madvise", "mincore")) {
            assertThat(direct.path("syscalls").path(call).has("count")).as(call).isTrue();
            assertThat(direct.path("syscalls").path(call).has("seconds")).as(call).isTrue();
        }
        // every block is its own mapping in direct-only, mapped on a miss of the direct-mapping cache
        JsonNode stats = direct.path("stats");
        long hits = stats.path(Stat.DIRECT_CACHE_HITS.key()).asLong();
        long misses = stats.path(Stat.DIRECT_CACHE_MISSES.key()).asLong();
        assertThat(hits + misses).isEqualTo(stats.path(Stat.ALLOCATIONS.key()).asLong());
        assertThat(hits).isPositive();
        assertThat(direct.path("syscalls").path("mmap").path("count").asLong()).isGreaterThanOrEqualTo(misses).isPositive();
        assertThat(direct.path("pageFaults").has("minor")).isTrue();
        assertThat(direct.path("pageFaults").has("major")).isTrue();
        assertThat(direct.path("stats").has(Stat.SYSCALL_MMAP.key())).isTrue();
        assertThat(direct.path("error").isNull()).isTrue();

        JsonNode glibc = runs.get(1);
        assertThat(glibc.path("kind").asText()).isEqualTo("baseline");
        assertThat(glibc.path("syscalls").isNull()).isTrue();

        Path html = dir.resolve("r.html");
        assertThat(html).exists();
        assertThat(Files.readString(html)).contains("<svg", DirectOnlyModule.NAME, "glibc");
        for (String svg : List.of("r-1-ops.svg", "r-1-syscalls.svg")) {
            assertThat(dir.resolve(svg)).exists();
            assertWellFormedXml(dir.resolve(svg));
        }
    }

    static void assertWellFormedXml(Path file) {
        try {
            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new AssertionError(file + " is not well-formed XML: " + e.getMessage(), e);
        }
    }

    @Test
    void profilePrintsTheSeedReportSectionsPerStrategy() {
        Cli r = Cli.run("profile", "--strategy", DirectOnlyModule.NAME, "--strategy", "glibc", "--reps", "1",
                "--warmup", "0", "random-mixed", "5000", "128", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("== direct-only (strategy): random-mixed 5000 128 1 16 1024 ==",
                "Throughput", "Syscalls       (one run of the median repetition: allocator setup, loop and final frees; close() apart, below)", "Syscalls by cause",
                "% time", "mmap", "munmap", "Page faults", "SuperSlabs", "segments",
                "Front cache", "LRU", "mincore", "Bottlenecks (share of the run's time)", "1. ",
                "== glibc (baseline)", "not visible");
    }

    @Test
    void theDefaultRunsTheSeedBenchmarkAndAnchorCAndWritesUnderResults(@TempDir Path dir) throws IOException {
        Cli r = Cli.run("--strategy", "glibc", "--reps", "1", "--warmup", "0", "--results", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("hakmem-random-mixed 200000 4096 1234567 16 1039", "random-mixed 20000000 4096 1234567 16 1024");
        // both workloads planned before the first step: the total never moves
        assertThat(r.err().lines().filter(l -> l.startsWith("["))).hasSize(2).allMatch(l -> l.matches("\\[\\d/2] .*"));
        // what the columns mean, under the tables
        assertThat(r.out()).contains(String.join("\n", SideBySideTable.LEGEND) + "\nresults: ");
        assertThat(SideBySideTable.LEGEND.get(0)).startsWith("SPREAD = ");
        assertThat(SideBySideTable.LEGEND.get(1)).startsWith("MMAP, MUNMAP, MADVISE, MINCORE = ");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .anyMatch(n -> n.matches("slabworks-\\d{8}-\\d{6}\\.json"))
                    .anyMatch(n -> n.matches("slabworks-\\d{8}-\\d{6}\\.html"));
        }
    }

    @Test
    void theResultsAndReportPathsAreBothAbsolute() throws IOException {
        Path relative = Path.of("target", "cli-test", "relative.json"); // under the module's directory, where tests run
        Files.deleteIfExists(relative); // left by an earlier run of the tests
        Cli r = Cli.run("bench", "--strategy", "glibc", "--reps", "1", "--warmup", "0", "--json", relative.toString(),
                "random-mixed", "1000", "16", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        Path json = relative.toAbsolutePath().normalize();
        assertThat(r.out()).contains("results: " + json + "\n", "report:  " + json.resolveSibling("relative.html") + "\n");
        assertThat(json).exists();
    }

    @Test
    void progressGoesToTheErrorStreamAsPlainLinesWhenNotATerminal(@TempDir Path dir) {
        Cli r = bench(dir.resolve("p.json"));
        assertThat(r.err().lines().filter(l -> l.startsWith("["))).anyMatch(l -> l.contains("direct-only")
                && l.contains("repetition 3/3")).allMatch(l -> l.matches("\\[\\d+/8] .*"));
        assertThat(r.err()).doesNotContain("\r");
    }

    @Test
    void remoteFreeAndTraceReplayRunThroughBench() {
        Cli remote = Cli.run("bench", "--strategy", "all", "--reps", "1", "--warmup", "0",
                "remote-free", "2", "2000", "64", "3");
        assertThat(remote.exit()).as(remote.err()).isZero();
        assertThat(remote.out()).contains("remote-free 2 2000 64 3", DirectOnlyModule.NAME, "glibc");
        String trace = Path.of("src/test/resources/traces/sort-3000-lines.mtrace").toAbsolutePath().toString();
        Cli replay = Cli.run("bench", "--strategy", "all", "--reps", "1", "--warmup", "0", "trace-replay", trace);
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("trace-replay " + trace);
    }

    @Test
    void withForksEachContenderRunsInJvmsOfItsOwnAndTheirRepetitionsArePooled(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("forked.json");
        long tempDirsBefore = forkTempDirs();
        Cli r = Cli.run("bench", "--forks", "2", "--reps", "2", "--warmup", "0", "--strategy", "superslab",
                "--set", "fc.cap=64", "--json", json.toString(), "random-mixed", "20000", "256", "1234567");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("(median of 4 repetitions in 2 JVMs per contender)", "superslab        JVM medians:");
        assertThat(r.err()).contains("JVM 1/2", "JVM 2/2");

        JsonNode run = new ObjectMapper().readTree(json.toFile()).path("runs").get(0);
        assertThat(run.path("error").isNull()).as(run.path("error").asText()).isTrue();
        assertThat(run.path("opsPerSec")).hasSize(4);
        assertThat(run.path("forkMedians")).hasSize(2);
        assertThat(run.path("forkSpreadP").asDouble()).as("two JVMs of two repetitions: a permutation p")
                .isGreaterThan(0).isLessThanOrEqualTo(1);
        assertThat(r.out()).containsPattern("superslab +JVM medians: \\S+ \\S+ \\(spread \\d+%, p [01]\\.\\d\\d\\)");
        assertThat(run.path("knobs").path(Knob.FC_CAP.key()).asText()).as("the children got the --set").isEqualTo("64");
        assertThat(run.path("ops").asLong()).isEqualTo(20000);
        assertThat(run.path("syscalls").path("mmap").path("count").asLong()).isPositive();
        assertThat(forkTempDirs()).as("the children's results files are deleted").isEqualTo(tempDirsBefore);
    }

    private static long forkTempDirs() throws IOException {
        try (var all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            // this process's only: benches running beside the tests make and delete their own
            return all.filter(p -> p.getFileName().toString().startsWith(ForkedBench.TEMP_PREFIX)).count();
        }
    }
}
