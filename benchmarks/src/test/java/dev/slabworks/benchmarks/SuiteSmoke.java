package dev.slabworks.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slabworks.harness.wiring.Contender;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite cannot rot: every benchmark runs once, briefly, on every strategy the wiring finds plus
 * glibc and {@code none}, through the same command {@code ./slabworks jmh} runs (in this JVM: no
 * fork, no warm-up, one short measurement; the other native baselines are the harness's tests'
 * business). Nothing here is timed; the figures of such a run mean nothing and are not checked.
 *
 * <p>The suite runs in two parts of about the same length, {@link WorkloadBenchmarksSmokeTest} and
 * {@link MicroBenchmarksSmokeTest}, which Surefire runs in two JVMs at once (this module's pom);
 * {@code thePartsTogetherAreTheWholeSuite} checks that every benchmark of the suite is in exactly one part. Two JMH
 * runs at once need {@code jmh.ignoreLock} (set for this module's tests in its pom).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SuiteSmoke {
    /** {@link WorkloadBenchmarksSmokeTest}'s: random-mixed, the team's workloads and the trace replay. */
    static final List<String> WORKLOADS = List.of("RandomMixedBenchmark.seed", "RandomMixedBenchmark.anchorD",
            "TraceReplayBenchmark.replay", "TeamWorkloadsBenchmark.hakmemSeed",
            "TeamWorkloadsBenchmark.distMixed", "TeamWorkloadsBenchmark.mtRemote", "TeamWorkloadsBenchmark.remoteFree",
            "TeamWorkloadsBenchmark.larson",
            "TeamWorkloadsBenchmark.larsonOneThread", "TeamWorkloadsBenchmark.xmalloc");
    /**
     * {@link MicroBenchmarksSmokeTest}'s: a size class's pair, a remote free, the segment adapters, and anchor (c), whose
     * 20M-op invocations would make the other part the longer by far (the two parts run at once: balance them).
     */
    static final List<String> MICRO = List.of("RandomMixedBenchmark.anchorC", "SizeClassPairBenchmark.pair",
            "RemoteFreeBenchmark.remoteFree",
            "SegmentsBenchmark.raw", "SegmentsBenchmark.segments", "SegmentsBenchmark.strategyArenaPerBlock",
            "SegmentsBenchmark.jdkArenaPerBlock");
    /** The benchmarks of each part, by its class's name. */
    static final Map<String, List<String>> PARTS = Map.of(
            "WorkloadBenchmarksSmokeTest", WORKLOADS, "MicroBenchmarksSmokeTest", MICRO);

    List<String> contenders;
    int exitCode;
    String stdout;
    JsonNode json;
    String summary;

    /** The benchmarks this part runs, as {@code Class.method}. */
    abstract List<String> benchmarks();

    @BeforeAll
    void runThePartOnce(@TempDir Path dir) throws Exception {
        contenders = new ArrayList<>();
        for (Contender c : Suite.contenders()) {
            if (c.kind() == Contender.Kind.STRATEGY) {
                contenders.add(c.name());
            }
        }
        contenders.add("glibc");
        contenders.add(NoAllocation.NAME);
        Path file = dir.resolve("smoke.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of(
                "-f", "0", "-wi", "0", "-i", "1", "-r", "10ms", "-foe", "true",
                "-p", "strategy=" + String.join(",", contenders), "-p", "size=16,65536",
                "-rff", file.toString()));
        for (String b : benchmarks()) {
            args.add("\\." + b.replace(".", "\\.") + "$");
        }
        exitCode = JmhMain.run(args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        stdout = out.toString(StandardCharsets.UTF_8);
        json = Files.exists(file) ? new ObjectMapper().readTree(file.toFile()) : null;
        Path summaryFile = JmhMain.summaryBeside(file);
        summary = Files.exists(summaryFile) ? Files.readString(summaryFile) : "";
        System.out.println(stdout);
        System.out.println(err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCommandSucceedsAndWritesTheJmhJsonAndTheSummaryBesideIt() {
        assertThat(exitCode).isZero();
        assertThat(json).isNotNull();
        assertThat(json.isArray()).isTrue();
        assertThat(summary).isNotBlank();
        assertThat(stdout).contains(summary.strip());
    }

    @Test
    void everyBenchmarkScoresAboveZeroOnEveryContender() {
        Map<String, Integer> runs = new HashMap<>();
        for (JsonNode r : json) {
            String key = shortName(r) + " " + r.at("/params/strategy").asText();
            assertThat(r.at("/primaryMetric/score").asDouble()).as(key).isPositive();
            runs.merge(key, 1, Integer::sum);
        }
        assertThat(runs.keySet().stream().map(k -> k.substring(0, k.indexOf(' '))).distinct())
                .containsExactlyInAnyOrderElementsOf(benchmarks());
        for (String b : benchmarks()) {
            for (String c : contenders) {
                // the pair runs once per size
                assertThat(runs.get(b + " " + c)).as(b + " on " + c).isEqualTo(b.startsWith("SizeClassPair") ? 2 : 1);
            }
        }
    }

    @Test
    void everyRunCarriesTheSyscallCounters() {
        for (JsonNode r : json) {
            assertThat(r.at("/secondaryMetrics").has("mmap")).as(shortName(r)).isTrue();
            assertThat(r.at("/secondaryMetrics").has("munmap")).as(shortName(r)).isTrue();
            assertThat(r.at("/secondaryMetrics").has("mincore")).as(shortName(r)).isTrue();
        }
    }

    @Test
    void theCountersCountTheStrategiesOwnMappings() {
        // a block above 32 KiB is a direct mapping of its own: mapped by the first allocate, then kept in the
        // direct-mapping cache by free and reused, so the pair maps at least once and unmaps at most as often
        for (JsonNode r : json) {
            String strategy = r.at("/params/strategy").asText();
            if (shortName(r).equals("SizeClassPairBenchmark.pair") && r.at("/params/size").asText().equals("65536")
                    && !strategy.equals("glibc") && !strategy.equals(NoAllocation.NAME)) {
                double mmap = r.at("/secondaryMetrics/mmap/score").asDouble();
                assertThat(mmap).as(strategy).isPositive();
                assertThat(r.at("/secondaryMetrics/munmap/score").asDouble()).as(strategy).isLessThanOrEqualTo(mmap);
            }
        }
    }

    @Test
    void theSummaryHasAGlibcRowAndARatioToItForEveryRow() {
        List<String> rows = summary.lines().skip(1).toList();
        assertThat(rows).hasSize(json.size());
        for (String row : rows) {
            String[] cols = row.trim().split("\\s+");
            assertThat(row).as(row).containsPattern(" \\d+\\.\\d\\dx ");
            if (List.of(cols).contains("glibc")) {
                assertThat(row).contains(" 1.00x ").contains(" n/a ");
            }
        }
        for (String b : benchmarks()) {
            assertThat(rows).as(b).anyMatch(r -> r.startsWith(b + " ") && r.contains(" glibc "));
        }
    }

    @Test
    void thePartsTogetherAreTheWholeSuite() {
        OutputFormat silent = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
        List<String> suite = BenchmarkList.defaultList().getAll(silent, List.of()).stream()
                .map(e -> RatioSummary.shortName(e.getUsername())).distinct().toList();
        List<String> parts = new ArrayList<>();
        PARTS.values().forEach(parts::addAll);
        assertThat(parts).containsExactlyInAnyOrderElementsOf(suite);
        assertThat(PARTS).containsEntry(getClass().getSimpleName(), benchmarks());
    }

    private static String shortName(JsonNode r) {
        return RatioSummary.shortName(r.at("/benchmark").asText());
    }
}
