package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.RunResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report beside a results file {@code X.json}: {@code X.html} (self-contained: charts inline,
 * a table of the same figures) and, per workload, {@code X-N-ops.svg}, {@code X-N-syscalls.svg} and
 * {@code X-N-memory.svg} (resident peak, with the overhead) for slides and issues. Strategies are blue, native
 * baselines grey.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    public static Path write(Path json, List<RunResult> results, dev.slabworks.harness.bench.ResultsHeader header) {
        return write(json, results, header.command());
    }

    /** Writes the report for {@code results} beside {@code json}; returns the HTML file. */
    public static Path write(Path json, List<RunResult> results, String command) {
        String base = json.getFileName().toString().replaceFirst("\\.json$", "");
        Path dir = json.toAbsolutePath().getParent();
        Map<String, List<RunResult>> byWorkload = new LinkedHashMap<>();
        results.forEach(r -> byWorkload.computeIfAbsent(r.workloadLine(), k -> new ArrayList<>()).add(r));
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>slabworks: ")
                .append(SvgBarChart.escape(command)).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;color:#222;max-width:1100px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("td:first-child,th:first-child,td:nth-child(2),th:nth-child(2){text-align:left}.charts{display:flex;flex-wrap:wrap;gap:1em}")
                .append(".failed{color:#b00}</style></head><body>\n");
        html.append("<h1>slabworks results</h1>\n<p><code>").append(SvgBarChart.escape(command)).append("</code> &mdash; data: <a href=\"")
                .append(SvgBarChart.escape(json.getFileName().toString())).append("\">")
                .append(SvgBarChart.escape(json.getFileName().toString())).append("</a></p>\n");
        int n = 0;
        try {
            for (var e : byWorkload.entrySet()) {
                n++;
                List<RunResult> rows = e.getValue();
                List<SvgBarChart.Bar> ops = new ArrayList<>();
                List<SvgBarChart.Bar> sys = new ArrayList<>();
                List<SvgBarChart.Bar> memory = new ArrayList<>();
                for (RunResult r : rows) {
                    boolean baseline = r.kind().equals("baseline");
                    if (r.failed()) {
                        ops.add(new SvgBarChart.Bar(r.strategy(), 0, "failed", baseline));
                        continue;
                    }
                    ops.add(new SvgBarChart.Bar(r.strategy(), r.opsPerSecMedian(), Format.ops(r.opsPerSecMedian()) + " ops/s", baseline));
                    long resident = r.memory().residentBytesPeak();
                    if (resident >= 0) {
                        memory.add(new SvgBarChart.Bar(r.strategy(), resident, Format.resident(resident,
                                r.memory().residentBound()) + " (overhead " + Format.overhead(r.memory().overhead()) + ")",
                                baseline));
                    }
                    if (r.syscalls() != null) {
                        sys.add(new SvgBarChart.Bar(r.strategy(), r.syscallCount(), Format.count(r.syscallCount()) + " syscalls", false));
                    }
                }
                String opsSvg = SvgBarChart.render("ops/s (median): " + e.getKey(), ops);
                String sysSvg = SvgBarChart.render("mmap+munmap+madvise+mincore per run: " + e.getKey(), sys);
                Files.writeString(dir.resolve(base + "-" + n + "-ops.svg"), opsSvg);
                Files.writeString(dir.resolve(base + "-" + n + "-syscalls.svg"), sysSvg);
                String memorySvg = SvgBarChart.render("resident peak (overhead: over live peak): " + e.getKey(), memory);
                Files.writeString(dir.resolve(base + "-" + n + "-memory.svg"), memorySvg);
                html.append("<h2>").append(SvgBarChart.escape(e.getKey())).append("</h2>\n<div class=\"charts\">")
                        .append(opsSvg).append(sysSvg).append(memorySvg).append("</div>\n");
                html.append("<table><tr><th>strategy</th><th>kind</th><th>median ops/s</th><th>min</th><th>max</th>"
                        + "<th>mmap</th><th>munmap</th><th>madvise</th><th>mincore</th><th>minor faults</th>"
                        + "<th>live peak</th><th>resident peak</th><th>overhead</th></tr>\n");
                for (RunResult r : rows) {
                    if (r.failed()) {
                        html.append("<tr><td>").append(SvgBarChart.escape(r.strategy())).append("</td><td>")
                                .append(r.kind()).append("</td><td class=\"failed\" colspan=\"11\">failed: ")
                                .append(SvgBarChart.escape(r.error())).append("</td></tr>\n");
                        continue;
                    }
                    html.append("<tr><td>").append(SvgBarChart.escape(r.strategy())).append("</td><td>").append(r.kind())
                            .append("</td><td>").append(Format.ops(r.opsPerSecMedian())).append("</td><td>")
                            .append(Format.ops(r.opsPerSecMin())).append("</td><td>").append(Format.ops(r.opsPerSecMax()))
                            .append("</td>");
                    for (String s : RunResult.SYSCALLS) {
                        html.append("<td>").append(r.syscalls() == null ? "-" : Format.count(r.syscalls().get(s).count())).append("</td>");
                    }
                    html.append("<td>").append(Format.count(r.minorFaults())).append("</td><td>")
                            .append(Format.bytes(r.memory().liveBytesPeak())).append("</td><td>")
                            .append(Format.resident(r.memory().residentBytesPeak(), r.memory().residentBound()))
                            .append("</td><td>").append(Format.overhead(r.memory().overhead(), r.memory().residentBound()))
                            .append("</td></tr>\n");
                }
                html.append("</table>\n");
            }
            html.append(String.format(Locale.ROOT, "<p>Blue: strategies; grey: native baselines (their syscalls are not visible "
                    + "to slabworks). Syscalls: the strategy's calls in one whole run (allocator setup, loop and close) of "
                    + "its median repetition. %s.</p>%n</body></html>%n", Format.plural(n, "workload")));
            Path out = dir.resolve(base + ".html");
            Files.writeString(out, html);
            return out;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the HTML report beside " + json + ": " + ex.getMessage(), ex);
        }
    }
}
