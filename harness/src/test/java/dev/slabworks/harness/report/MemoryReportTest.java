package dev.slabworks.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slabworks.api.MemoryUse;
import dev.slabworks.harness.bench.MemoryFigures;
import dev.slabworks.harness.bench.ResultsJson;
import dev.slabworks.harness.bench.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryReportTest {
    private static final long MIB = 1 << 20;
    private static final long U = MemoryFigures.UNKNOWN;

    static RunResult run(String strategy, String kind, MemoryFigures memory) {
        return new RunResult(strategy, kind, "random-mixed", List.of("1", "2", "3"), Map.of(), 0, new double[] {100}, 1, 1,
                null, 0, 0, Map.of(), null, new double[0], Map.of(), memory);
    }

    static MemoryFigures figures(long livePeak, long residentPeak) {
        return new MemoryFigures(livePeak, livePeak - 1000, 40 * MIB, 40 * MIB, 32 * MIB, residentPeak, residentPeak - 4096,
                residentPeak / 2, 57, MemoryUse.Bound.EXACT, "mincore over its mappings");
    }

    @Test
    void the_table_shows_the_resident_peak_with_its_unit_the_overhead_a_librarys_bound_or_estimate_and_na_where_unknown() {
        StringWriter s = new StringWriter();
        MemoryFigures floor = new MemoryFigures(MIB, U, U, U, U, 900 << 10, U, U, 2, MemoryUse.Bound.AT_LEAST, "glibc");
        MemoryFigures estimate = new MemoryFigures(MIB, U, U, U, U, 4 * MIB, U, U, 2, MemoryUse.Bound.ESTIMATE, "tcmalloc");
        SideBySideTable.print(List.of(run("superslab", "strategy", figures(MIB, 3 * MIB / 2)),
                run("mimalloc", "baseline", MemoryFigures.NONE), run("glibc", "baseline", floor),
                run("tcmalloc", "baseline", estimate)), new PrintWriter(s), 25);
        List<String> lines = s.toString().lines().toList();
        assertThat(lines.get(1)).endsWith("RESIDENT PEAK OVERHEAD");
        assertThat(lines.get(2)).startsWith("superslab").endsWith("     1.50 MiB     1.50");
        assertThat(lines.get(3)).startsWith("mimalloc").endsWith("          n/a      n/a");
        assertThat(lines.get(4)).startsWith("glibc").endsWith("   ≥ 900 KiB   ≥ 0.88");
        assertThat(lines.get(5)).startsWith("tcmalloc").endsWith("   ≈ 4.00 MiB   ≈ 4.00");
    }

    @Test
    void the_results_file_holds_every_figure_in_bytes_and_null_where_unknown_and_reads_back(@TempDir Path dir)
            throws IOException {
        MemoryFigures partial = new MemoryFigures(2 * MIB, U, U, U, U, 5 * MIB, U, 4 * MIB, 3, MemoryUse.Bound.AT_MOST,
                "jemalloc stats.resident");
        List<RunResult> runs = List.of(run("superslab", "strategy", figures(MIB, 3 * MIB)), run("jemalloc", "baseline", partial),
                run("glibc", "baseline", MemoryFigures.NONE));
        Path json = dir.resolve("m.json");
        ResultsJson.write(json, ResultsJson.document(runs, "test"));

        JsonNode m = new ObjectMapper().readTree(json.toFile()).path("runs").get(1).path("memory");
        assertThat(m.path("liveBytesPeak").asLong()).isEqualTo(2 * MIB);
        assertThat(m.path("residentBytesPeak").asLong()).isEqualTo(5 * MIB);
        assertThat(m.path("overhead").asDouble()).isEqualTo(2.5);
        assertThat(m.path("mappedBytesPeak").isNull()).isTrue();
        assertThat(m.path("residentBytesEnd").isNull()).isTrue();
        assertThat(m.path("residentFrom").asText()).isEqualTo("jemalloc stats.resident");
        assertThat(m.path("residentBound").asText()).isEqualTo("atMost");
        JsonNode none = new ObjectMapper().readTree(json.toFile()).path("runs").get(2).path("memory");
        assertThat(none.path("residentBytesPeak").isNull()).isTrue();
        assertThat(none.path("overhead").isNull()).isTrue();

        List<RunResult> back = ResultsJson.read(json);
        assertThat(back.get(0).memory()).isEqualTo(runs.get(0).memory());
        assertThat(back.get(1).memory()).isEqualTo(partial);
        assertThat(back.get(2).memory()).isEqualTo(MemoryFigures.NONE);
    }

    @Test
    void compare_flags_a_resident_peak_that_rose_beyond_the_threshold_but_not_a_rise_of_a_few_pages() {
        RunResult old = run("shared-pool", "strategy", figures(MIB, 10 * MIB));
        assertThat(new Comparison(List.of(old), List.of(run("shared-pool", "strategy", figures(MIB, 11 * MIB))), 5)
                .regressions()).isOne();
        assertThat(new Comparison(List.of(old), List.of(run("shared-pool", "strategy", figures(MIB, 10 * MIB + MIB / 4))), 5)
                .regressions()).as("2.5 %: within the threshold").isZero();
        RunResult small = run("s", "strategy", figures(MIB, 400 << 10));
        assertThat(new Comparison(List.of(small), List.of(run("s", "strategy", figures(MIB, 440 << 10))), 5)
                .regressions()).as("10 % but 40 KiB: below the floor").isZero();
        assertThat(new Comparison(List.of(old), List.of(run("shared-pool", "strategy", MemoryFigures.NONE)), 5)
                .regressions()).as("no figure to compare").isZero();

        Comparison c = new Comparison(List.of(old), List.of(run("shared-pool", "strategy", figures(MIB, 12 * MIB))), 5);
        StringWriter s = new StringWriter();
        c.print(new PrintWriter(s));
        assertThat(s.toString()).contains("Regression Alert: shared-pool on random-mixed 1 2 3: resident peak +20.0% "
                + "(10.0 MiB -> 12.0 MiB)");
    }

    @Test
    void profile_prints_live_mapped_and_resident_at_the_peak_the_loops_end_and_after_trim() {
        StringWriter s = new StringWriter();
        ProfileReport.memory(figures(MIB, 3 * MIB), new PrintWriter(s));
        ProfileReport.memory(MemoryFigures.NONE, new PrintWriter(s));
        List<String> lines = s.toString().lines().toList();
        assertThat(lines.get(0)).contains("peak", "loop end", "after trim");
        assertThat(lines.get(1)).contains("live (requested)", "1.00 MiB", "1023 KiB", "0 B");
        assertThat(lines.get(2)).contains("mapped", "40.0 MiB", "32.0 MiB");
        assertThat(lines.get(3)).contains("resident", "3.00 MiB", "3.00 MiB", "1.50 MiB");
        assertThat(lines.get(4)).contains("overhead 3.00", "mincore over its mappings", "57 readings");
        assertThat(lines.get(6)).contains("live (requested)").doesNotContain("B").contains("n/a");
        assertThat(lines.get(8)).contains("resident").contains("n/a");
    }

    @Test
    void the_html_report_has_a_memory_chart_per_workload(@TempDir Path dir) throws IOException {
        Path html = HtmlReport.write(dir.resolve("r.json"), List.of(run("superslab", "strategy", figures(MIB, 2 * MIB)),
                run("glibc", "baseline", MemoryFigures.NONE)), dev.slabworks.harness.bench.ResultsJson.header("test", null));
        String svg = Files.readString(dir.resolve("r-1-memory.svg"));
        assertThat(svg).contains("resident peak", "superslab  2.00 MiB").doesNotContain("glibc");
        assertThat(Files.readString(html)).contains("<td>2.00 MiB</td><td>2.00</td>", "<th>resident peak</th>");
    }
}
