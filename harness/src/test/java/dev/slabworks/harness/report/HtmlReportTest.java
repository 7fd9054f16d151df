package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.MemoryFigures;
import dev.slabworks.harness.bench.Repetition;
import dev.slabworks.harness.bench.ResultsHeader;
import dev.slabworks.harness.bench.RunResult;
import dev.slabworks.harness.bench.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlReportTest {
    static final ResultsHeader HEADER = new ResultsHeader("Vendor 25", "abc123", Map.of("host", "h", "cpus", "2"),
            "2026-12-06T00:00:00Z", "slabworks run e.toml",
            new ResultsHeader.Experiment("lru", "Does the LRU help?", "e.toml", "name = \"lru\" # <the file>"));

    /** A row of {@code strategy} at ss.lru.size={@code lru} with {@code munmaps} per repetition. */
    static RunResult row(String strategy, String kind, String lru, long... munmaps) {
        return rowWithHandshakes(strategy, kind, lru, 0, munmaps);
    }

    /** {@link #row(String, String, String, long...)} whose repetitions also made {@code membarriers} handshakes. */
    static RunResult rowWithHandshakes(String strategy, String kind, String lru, long membarriers, long... munmaps) {
        Map<String, RunResult.Syscall> sys = null;
        List<Repetition> reps = new ArrayList<>();
        double[] ops = new double[munmaps.length];
        for (int i = 0; i < munmaps.length; i++) {
            ops[i] = 1e6 * (10 + i);
            Map<String, Long> calls = null;
            if (kind.equals("strategy")) {
                calls = new LinkedHashMap<>(Map.of("mmap", 5L, "munmap", munmaps[i], "madvise", 0L, "mincore", 0L));
                if (membarriers > 0) {
                    calls.put("membarrier", membarriers);
                }
            }
            reps.add(new Repetition(ops[i], calls, 1L << 20));
        }
        if (kind.equals("strategy")) {
            sys = new LinkedHashMap<>();
            for (String c : RunResult.SYSCALLS) {
                sys.put(c, new RunResult.Syscall(c.equals("munmap") ? munmaps[0] : c.equals("mmap") ? 5 : 0, 0));
            }
            if (membarriers > 0) {
                sys.put("membarrier", new RunResult.Syscall(membarriers, 0));
            }
        }
        Map<String, String> knobs = new LinkedHashMap<>(Map.of("ss.lru.size", lru, "fc.cap", "256"));
        MemoryFigures memory = new MemoryFigures(1 << 19, 0, -1, -1, -1, 1 << 20, -1, -1, 3,
                dev.slabworks.api.MemoryUse.Bound.EXACT, "mincore");
        return new RunResult(strategy, kind, "random-mixed", List.of("1", "2", "3"), knobs, 0, ops, 1, 1, sys, 0, 0,
                Map.of(), null, new double[0], Map.of(), memory,
                new Variant(strategy + " ss.lru.size=" + lru, Map.of("ss.lru.size", lru),
                        Map.of("ss.lru.size", "sweep", "fc.cap", "default")), reps);
    }

    @Test
    void aSweepGetsALineChartPerFigureWithAxesUnitsWhiskersAndALegend(@TempDir Path dir) throws IOException {
        List<RunResult> runs = List.of(row("a", "strategy", "0", 600, 620, 610), row("a", "strategy", "4", 120, 125, 122),
                row("b", "strategy", "0", 300, 300, 300), row("b", "strategy", "4", 10, 12, 11),
                row("glibc", "baseline", "0", 0, 0, 0), row("glibc", "baseline", "4", 0, 0, 0));
        Path html = HtmlReport.write(dir.resolve("r.json"), runs, HEADER);
        String ops = Files.readString(dir.resolve("r-1-sweep-ops.svg"));
        // the value axis's label is drawn turned, as outlines; the title, ticks and legend are text
        assertThat(ops).contains("ops/s by ss.lru.size", ">ss.lru.size<", ">a<", ">b<", ">glibc<");
        String munmap = Files.readString(dir.resolve("r-1-sweep-munmap.svg"));
        assertThat(munmap).contains("munmap by ss.lru.size", ">a<", ">b<").doesNotContain(">glibc<");
        assertThat(dir.resolve("r-1-sweep-mmap.svg")).exists();
        assertThat(dir.resolve("r-1-sweep-madvise.svg")).as("no row made one").doesNotExist();
        assertThat(dir.resolve("r-1-sweep-membarrier.svg")).as("no row made one").doesNotExist();
        assertThat(dir.resolve("r-1-sweep-memory.svg")).exists();
        String page = Files.readString(html);
        assertThat(page).contains("<h1>lru</h1>", "<p class=\"question\">Does the LRU help?</p>",
                "name = &quot;lru&quot; # &lt;the file&gt;", "<code>abc123</code>", "Vendor 25",
                "<tr class=\"set\"><td>ss.lru.size</td><td>0, 4 (by row)</td><td>sweep</td></tr>",
                "<td>fc.cap</td><td>256</td><td>default</td>", "95% CI</th>", "<th>vs glibc</th>");
        assertThat(page.indexOf("<svg")).as("charts inline").isPositive();
        assertThat(page).as("nothing fetched").doesNotContain("<script", "<link", "<img", "src=");
    }

    @Test
    void aSweepWhoseRowsMadeHandshakesChartsThemOutsideTheSyscallTotal(@TempDir Path dir) throws IOException {
        List<RunResult> runs = List.of(rowWithHandshakes("a", "strategy", "0", 40, 5, 5),
                rowWithHandshakes("a", "strategy", "4", 900, 5, 5));
        HtmlReport.write(dir.resolve("r.json"), runs, HEADER);
        assertThat(Files.readString(dir.resolve("r-1-sweep-membarrier.svg"))).contains("membarrier by ss.lru.size", ">a<");
        assertThat(runs.getFirst().syscallCount()).as("mmap + munmap only").isEqualTo(10);
    }

    @Test
    void rowsThatAreNoSweepGetBarsWithStrategiesAndBaselinesInTheLegend(@TempDir Path dir) throws IOException {
        RunResult a = row("a", "strategy", "0", 5, 6, 7).withVariant(Variant.of("a"));
        RunResult glibc = row("glibc", "baseline", "0", 0, 0, 0).withVariant(Variant.of("glibc"));
        HtmlReport.write(dir.resolve("r.json"), List.of(a, glibc), HEADER);
        String ops = Files.readString(dir.resolve("r-1-ops.svg"));
        assertThat(ops).contains(">strategy<", ">native baseline<", "a  11.00M", "glibc  11.00M");
        String sys = Files.readString(dir.resolve("r-1-syscalls.svg"));
        assertThat(sys).contains(">syscalls<", "a  10").doesNotContain("glibc");
        assertThat(dir.resolve("r-1-sweep-ops.svg")).doesNotExist();
    }

    @Test
    void theHostsCrossCpuRoundTripAndItsMoveAreSaidUnderTheWorkloadsTable(@TempDir Path dir) throws IOException {
        List<Repetition> reps = List.of(new Repetition(10e6, null, -1, Map.of(), 64),
                new Repetition(5e6, null, -1, Map.of(), 330));
        RunResult probed = new RunResult("glibc", "baseline", "remote-free", List.of("2"), Map.of(), 0,
                new double[] {10e6, 5e6}, 1, 1, null, 0, 0, Map.of(), null, new double[0], Map.of(), MemoryFigures.NONE,
                Variant.of("glibc"), reps);
        String page = Files.readString(HtmlReport.write(dir.resolve("p.json"), List.of(probed), HEADER));
        assertThat(page).contains("<p class=\"note\">host: cross-CPU round trip 64-330 ns",
                "<p class=\"note\">warning: the host's cross-CPU round trip moved from 64 to 330 ns");
        String quiet = Files.readString(HtmlReport.write(dir.resolve("q.json"),
                List.of(row("glibc", "baseline", "0", 0, 0, 0)), HEADER));
        assertThat(quiet).as("unprobed runs").doesNotContain("cross-CPU");
    }
}
