package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.MedianInterval;
import dev.slabworks.harness.bench.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The HTML report's tables: the figures of one workload's rows, and the configuration every row ran with. */
final class ReportTables {
    private ReportTables() {
    }

    /** One row per contender row: median ops/s with its interval, spread, ratio to glibc, syscalls and memory. */
    static String figures(List<RunResult> rows) {
        StringBuilder t = new StringBuilder("<table><tr><th>label</th><th>kind</th><th>median ops/s</th>"
                + "<th title=\"the median's 95 % confidence interval\">95% CI</th><th>min&ndash;max</th><th>spread</th>"
                + "<th>vs glibc</th><th>mmap</th><th>munmap</th><th>madvise</th><th>mincore</th><th>minor faults</th>"
                + "<th>live peak</th><th>resident peak</th><th>overhead</th></tr>\n");
        double glibc = rows.stream().filter(r -> r.strategy().equals("glibc") && !r.failed())
                .mapToDouble(RunResult::opsPerSecMedian).findFirst().orElse(0);
        for (RunResult r : rows) {
            t.append("<tr><td>").append(escape(r.label())).append("</td><td>").append(escape(r.kind())).append("</td>");
            if (r.failed()) {
                t.append("<td class=\"failed\" colspan=\"13\">failed: ").append(escape(r.error())).append("</td></tr>\n");
                continue;
            }
            MedianInterval ci = r.opsPerSecInterval();
            t.append(cell(Format.ops(ci.median())))
                    .append(cell(Format.ops(ci.low()) + "&ndash;" + Format.ops(ci.high())
                            + (ci.confidence() < MedianInterval.LEVEL ? String.format(Locale.ROOT,
                            " <span class=\"note\">(%.0f %%)</span>", ci.confidence() * 100) : "")))
                    .append(cell(Format.ops(r.opsPerSecMin()) + "&ndash;" + Format.ops(r.opsPerSecMax())))
                    .append(cell(String.format(Locale.ROOT, "%.1f%%", r.spread() * 100)))
                    .append(cell(glibc == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", r.opsPerSecMedian() / glibc)));
            for (String s : RunResult.SYSCALLS) {
                t.append(cell(r.syscalls() == null || !r.syscalls().containsKey(s) ? "-"
                        : Format.count(r.syscalls().get(s).count())));
            }
            t.append(cell(Format.count(r.minorFaults())))
                    .append(cell(Format.bytes(r.memory().liveBytesPeak())))
                    .append(cell(escape(Format.resident(r.memory().residentBytesPeak(), r.memory().residentBound()))))
                    .append(cell(escape(Format.overhead(r.memory().overhead(), r.memory().residentBound()))))
                    .append("</tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    /**
     * Every knob's effective value and where it came from: one line per knob, its value where every row agrees,
     * else each row's values in order ("0, 1, 2 by row"); knobs not at their default first.
     */
    static String configuration(List<RunResult> runs) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        Map<String, Set<String>> sources = new LinkedHashMap<>();
        for (RunResult r : runs) {
            r.knobs().forEach((k, v) -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
            r.knobs().keySet().forEach(k -> sources.computeIfAbsent(k, x -> new LinkedHashSet<>())
                    .add(r.variant().sources().getOrDefault(k, "not recorded")));
        }
        List<String> set = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        values.keySet().forEach(k -> (sources.get(k).equals(Set.of("default")) ? defaults : set).add(k));
        StringBuilder t = new StringBuilder("<table class=\"knobs\"><tr><th>knob</th><th>value</th><th>source</th></tr>\n");
        for (List<String> group : List.of(set, defaults)) {
            for (String k : group) {
                Set<String> v = values.get(k);
                t.append("<tr").append(group == set ? " class=\"set\"" : "").append("><td>").append(escape(k))
                        .append("</td><td>").append(escape(String.join(", ", v))).append(v.size() > 1 ? " (by row)" : "")
                        .append("</td><td>").append(escape(String.join(", ", sources.get(k)))).append("</td></tr>\n");
            }
        }
        return t.append("</table>\n").toString();
    }

    private static String cell(String html) {
        return "<td>" + html + "</td>";
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
