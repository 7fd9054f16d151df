package dev.slabworks.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RatioSummaryTest {
    private static RatioSummary.Row row(String benchmark, String params, String strategy, double median,
                                        boolean nativeBaseline) {
        return new RatioSummary.Row(benchmark, params, strategy, median, "ops/s", 15, 2.5, 4.25, 0.5, 0, Double.NaN,
                nativeBaseline);
    }

    private static List<String> print(List<RatioSummary.Row> rows) {
        StringWriter out = new StringWriter();
        RatioSummary.print(rows, new PrintWriter(out));
        return out.toString().lines().toList();
    }

    @Test
    void eachRowIsComparedWithGlibcOfTheSameBenchmarkAndParameters() {
        List<String> lines = print(List.of(
                row("Pair.pair", "size=16", "superslab", 300, false),
                row("Pair.pair", "size=16", "glibc", 200, true),
                row("Pair.pair", "size=64", "superslab", 300, false),
                row("Pair.pair", "size=64", "glibc", 100, true)));
        assertThat(lines.get(1)).contains("size=16").contains("superslab").contains(" 1.50x ");
        assertThat(lines.get(2)).contains("glibc").contains(" 1.00x ");
        assertThat(lines.get(3)).contains("size=64").contains(" 3.00x ");
    }

    @Test
    void withoutAGlibcRowTheRatioIsADash() {
        List<String> lines = print(List.of(row("Pair.pair", "size=16", "superslab", 300, false),
                row("Pair.pair", "size=64", "glibc", 100, true)));
        assertThat(lines.get(1).split("\\s+")).contains("-").doesNotContain("3.00x");
    }

    @Test
    void syscallsPerOpAreNotApplicableToNativeBaselinesAndADashWhenNotMeasured() {
        List<String> lines = print(List.of(row("Pair.pair", "", "superslab", 300, false),
                row("Pair.pair", "", "glibc", 100, true)));
        assertThat(lines.get(1).split("\\s+")).endsWith("5.00e-01", "0", "-");
        assertThat(lines.get(2).split("\\s+")).endsWith("n/a", "n/a", "n/a");
    }

    @Test
    void theMedianTheNumberOfIterationsBehindItTheirSpreadAndTheForksSpreadArePrinted() {
        List<String> lines = print(List.of(row("RandomMixedBenchmark.anchorC", "", "glibc", 37_123_456.7, true)));
        assertThat(lines.get(0)).contains("median").contains(" n ").contains(" spread ").contains(" forks ");
        assertThat(lines.get(1)).contains("37,123,457 ops/s").contains(" 15 ").contains(" 2.5% ").contains(" 4.3% ");
    }

    @Test
    void withOneForkTheForksSpreadIsADash() {
        RatioSummary.Row one = new RatioSummary.Row("Pair.pair", "", "superslab", 300, "ops/s", 3, 2.5, Double.NaN,
                0, 0, 0, false);
        assertThat(print(List.of(one)).get(1).split("\\s+")).startsWith("Pair.pair", "-", "superslab", "300", "ops/s",
                "3", "2.5%", "-");
    }

    @Test
    void theForksSpreadIsTheRangeOfTheForksMeansOverTheMedian() {
        assertThat(RatioSummary.forkSpread(new double[] {57e6, 60e6, 58.5e6}, 58e6)).isCloseTo(100 * 3 / 58.0,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(RatioSummary.forkSpread(new double[] {57e6}, 57e6)).isNaN();
    }

    @Test
    void benchmarkNamesLoseTheirPackage() {
        assertThat(RatioSummary.shortName("dev.slabworks.benchmarks.RandomMixedBenchmark.anchorC"))
                .isEqualTo("RandomMixedBenchmark.anchorC");
    }
}
