package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.ResultsHeader;
import dev.slabworks.harness.bench.RunResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report beside a results file {@code X.json}: {@code X.html}, one self-contained page (charts inline as SVG,
 * no script, nothing fetched), and each chart also as {@code X-N-FIGURE.svg} for slides. The page's header carries
 * the run: the experiment's name and question, the command, commit, JDK, machine and time; then per workload its
 * charts and the table of figures; then every knob's effective value and source, and the experiment file itself.
 *
 * <p>A workload whose rows are the points of a sweep gets a line chart per figure (x = the swept knob's values, a
 * line per contender, whiskers at each point): ops/s, each syscall any row made, resident peak
 * ({@code X-N-sweep-ops.svg}, {@code X-N-sweep-munmap.svg}, {@code X-N-sweep-memory.svg}, ...). Any other gets bar
 * charts of ops/s, syscalls in all and resident peak ({@code X-N-ops.svg}, {@code X-N-syscalls.svg},
 * {@code X-N-memory.svg}).
 */
public final class HtmlReport {
    private static final String STYLE = "body{font-family:sans-serif;margin:1.5em 2em;color:#222;max-width:1320px}"
            + "h1{margin-bottom:.2em}.question{font-size:1.15em;font-style:italic;margin-top:0}"
            + "table{border-collapse:collapse;margin:1em 0;font-size:.88em}"
            + "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right;white-space:nowrap}"
            + "th,td:first-child{white-space:normal}td:first-child{min-width:9em}"
            + "td:first-child,th:first-child,td:nth-child(2),th:nth-child(2){text-align:left}"
            + "table.facts td,table.knobs td{text-align:left}tr.set td{font-weight:bold}"
            + ".charts{display:flex;flex-wrap:wrap;gap:12px}.charts svg{border:1px solid #e4e4e4}"
            + ".failed{color:#b00}.note{color:#666;font-size:.9em}"
            + "pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:.9em}";

    private HtmlReport() {
    }

    /** Writes the report for {@code results} beside {@code json}; returns the HTML file. */
    public static Path write(Path json, List<RunResult> results, ResultsHeader header) {
        String base = json.getFileName().toString().replaceFirst("\\.json$", "");
        Path dir = json.toAbsolutePath().getParent();
        Map<String, List<RunResult>> byWorkload = new LinkedHashMap<>();
        results.forEach(r -> byWorkload.computeIfAbsent(r.workloadLine(), k -> new ArrayList<>()).add(r));
        ResultsHeader.Experiment experiment = header.experiment();
        String title = experiment != null ? experiment.name() : "slabworks results";
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>").append(escape(title)).append("</h1>\n");
        if (experiment != null && !experiment.question().isBlank()) {
            html.append("<p class=\"question\">").append(escape(experiment.question())).append("</p>\n");
        }
        html.append(facts(header, json, results));
        try {
            int n = 0;
            for (var e : byWorkload.entrySet()) {
                n++;
                List<RunResult> rows = e.getValue();
                html.append("<h2>").append(escape(e.getKey())).append("</h2>\n<div class=\"charts\">");
                String prefix = base + "-" + n;
                for (Named chart : charts(rows, e.getKey(), "w" + n)) {
                    Files.writeString(dir.resolve(prefix + "-" + chart.file() + ".svg"), chart.svg().element());
                    html.append(chart.svg().element()).append('\n');
                }
                html.append("</div>\n").append(ReportTables.figures(rows));
                for (String line : CrossCpuLines.summary(rows)) {
                    html.append("<p class=\"note\">").append(escape(line)).append("</p>\n");
                }
            }
            html.append("<h2>Configuration</h2>\n<p class=\"note\">Every knob's effective value in these runs and "
                    + "where it came from (bold: not the default).</p>\n").append(ReportTables.configuration(results));
            if (experiment != null) {
                html.append("<h2>Experiment file</h2>\n<p class=\"note\">").append(escape(experiment.file()))
                        .append("</p>\n<pre>").append(escape(experiment.text())).append("</pre>\n");
            }
            html.append("<p class=\"note\">Blue: strategies; grey: native baselines, whose syscalls slabworks cannot see. "
                    + "Syscalls: the strategy's calls in its median repetition (a whole run, allocator setup and final "
                    + "frees included, or its own calls on an allocator kept through the run with allocator.lifetime RUN; "
                    + "close() not included); whiskers on them and on resident peak: the min&ndash;max of every repetition. Whiskers "
                    + "on ops/s: the median's 95 % confidence interval (distribution-free; min&ndash;max, and less sure, "
                    + "below 6 repetitions). Data: <a href=\"").append(escape(json.getFileName().toString())).append("\">")
                    .append(escape(json.getFileName().toString())).append("</a>.</p>\n</body></html>\n");
            Path out = dir.resolve(base + ".html");
            Files.writeString(out, html);
            return out;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the HTML report beside " + json + ": " + ex.getMessage(), ex);
        }
    }

    private record Named(String file, Charts.Svg svg) {
    }

    /** The run as a whole: what ran, where, with what. */
    private static String facts(ResultsHeader h, Path json, List<RunResult> results) {
        StringBuilder t = new StringBuilder("<table class=\"facts\">");
        fact(t, "command", "<code>" + escape(h.command()) + "</code>");
        if (h.experiment() != null) {
            fact(t, "experiment file", "<code>" + escape(h.experiment().file()) + "</code> (below)");
        }
        fact(t, "commit", "<code>" + escape(h.commit()) + "</code>");
        fact(t, "JDK", escape(h.jdk()));
        fact(t, "machine", escape(String.join(", ", h.machine().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList())));
        fact(t, "created", escape(h.created()));
        Set<Integer> reps = new LinkedHashSet<>();
        Set<Integer> warmups = new LinkedHashSet<>();
        results.forEach(r -> {
            reps.add(r.opsPerSec().length);
            warmups.add(r.warmup());
        });
        fact(t, "rows", results.size() + " (repetitions measured per row: " + join(reps) + "; warm-up: " + join(warmups)
                + ")");
        fact(t, "data", "<a href=\"" + escape(json.getFileName().toString()) + "\">" + escape(json.getFileName().toString())
                + "</a>");
        return t.append("</table>\n").toString();
    }

    private static String join(Set<Integer> values) {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }

    private static void fact(StringBuilder t, String name, String html) {
        t.append("<tr><th>").append(name).append("</th><td>").append(html).append("</td></tr>");
    }

    /** The charts of one workload: a line per sweep when its rows are sweep points, else bars. */
    private static List<Named> charts(List<RunResult> rows, String workload, String id) {
        List<Named> out = new ArrayList<>();
        List<String> keys = sweptKeys(rows);
        if (keys.isEmpty()) {
            addBars(out, rows, Figure.OPS, workload, id);
            addBars(out, rows, Figure.SYSCALLS, workload, id);
            addBars(out, rows, Figure.RESIDENT, workload, id);
            return out;
        }
        String xKey = keys.getFirst();
        List<String> xs = new ArrayList<>();
        Map<String, Map<String, RunResult>> series = Charts.series();
        for (RunResult r : rows) {
            String x = r.variant().point().getOrDefault(xKey, "");
            if (!xs.contains(x)) {
                xs.add(x);
            }
            series.computeIfAbsent(seriesName(r, xKey), k -> new LinkedHashMap<>()).put(x, r);
        }
        List<Figure> figures = new ArrayList<>(List.of(Figure.OPS));
        for (Figure f : Figure.CALLS) {
            if (rows.stream().map(f::of).anyMatch(p -> p != null && p.high() > 0)) {
                figures.add(f);
            }
        }
        figures.add(Figure.RESIDENT);
        for (Figure f : figures) {
            List<Charts.Line> lines = Charts.lines(series, xs, f);
            if (!lines.isEmpty()) {
                String file = "sweep-" + f.file;
                out.add(new Named(file, Charts.lines(f.title + " by " + xKey, workload, f, xKey, xs, lines,
                        id + "-" + file)));
            }
        }
        return out;
    }

    private static void addBars(List<Named> out, List<RunResult> rows, Figure f, String workload, String id) {
        List<Charts.Bar> bars = Charts.bars(rows, f);
        if (!bars.isEmpty()) {
            out.add(new Named(f.file, Charts.bars(f.title, workload, f, bars, id + "-" + f.file)));
        }
    }

    /** The knobs swept in these rows (a point with more than one value among them), in sweep order. */
    private static List<String> sweptKeys(List<RunResult> rows) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        rows.forEach(r -> r.variant().point().forEach((k, v) -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v)));
        return values.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
    }

    /** A row's line in a sweep chart: its label without the value of the knob along x. */
    private static String seriesName(RunResult r, String xKey) {
        String own = " " + xKey + "=" + r.variant().point().get(xKey);
        String label = r.label();
        int at = label.indexOf(own);
        return at < 0 ? label : (label.substring(0, at) + label.substring(at + own.length())).strip();
    }

    static String escape(String text) {
        return ReportTables.escape(text);
    }
}
