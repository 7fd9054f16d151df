package dev.slabworks.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The table {@code ./slabworks jmh} prints after the JMH run: one row per benchmark, parameter set
 * and strategy, with the median of the JMH score over every measured iteration of every fork
 * ({@code n} of them; {@code spread} = (max - min) / median), the spread of the forks' own means ({@code forks}, same
 * formula; "-" with one fork), the ratio to glibc's median in the same run and the same parameters, and the
 * allocator's {@code mmap}/{@code munmap}/{@code mincore} per op (from {@link Syscalls}: calls/s over the score's
 * ops/s, both averaged over the iterations; "n/a" for native baselines, whose syscalls slabworks
 * cannot see).
 *
 * <p>Why the forks' spread has a column of its own: on a 2-vCPU host one JVM can settle ~5 % above or below another
 * with the same jar (the JIT's code and its placement differ from fork to fork), while the iterations inside a fork
 * agree to 1-2 %. A ratio near a bar is only as good as the forks behind it: when {@code forks} is of the order of
 * the distance to the bar, run more forks ({@code -f}).
 */
final class RatioSummary {
    static final String BASELINE = "glibc";

    private RatioSummary() {
    }

    /** One row: what was run and what it scored. */
    record Row(String benchmark, String params, String strategy, double median, String unit, long samples, double spread,
               double forkSpread, double mmapPerOp, double munmapPerOp, double mincorePerOp, boolean nativeBaseline) {
    }

    static List<Row> rows(Collection<RunResult> results, Set<String> baselines) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String strategy = p.getParam("strategy");
            Result<?> primary = r.getPrimaryResult();
            double ops = primary.getScore();
            Map<String, Result> secondary = r.getSecondaryResults();
            rows.add(new Row(shortName(p.getBenchmark()), otherParams(p), strategy == null ? "-" : strategy,
                    primary.getStatistics().getPercentile(50), primary.getScoreUnit(), primary.getStatistics().getN(),
                    spread(primary), forkSpread(r, primary.getStatistics().getPercentile(50)),
                    perOp(secondary.get("mmap"), ops), perOp(secondary.get("munmap"), ops),
                    perOp(secondary.get("mincore"), ops), baselines.contains(strategy)));
        }
        return rows;
    }

    /** Prints the table; rows of a benchmark and parameter set with no glibc row get "-" as ratio. */
    static void print(List<Row> rows, PrintWriter out) {
        Map<String, Double> glibc = new LinkedHashMap<>();
        for (Row r : rows) {
            if (BASELINE.equals(r.strategy())) {
                glibc.put(r.benchmark() + " " + r.params(), r.median());
            }
        }
        int benchmarkWidth = "benchmark".length();
        int paramsWidth = "params".length();
        int strategyWidth = "strategy".length();
        for (Row r : rows) {
            benchmarkWidth = Math.max(benchmarkWidth, r.benchmark().length());
            paramsWidth = Math.max(paramsWidth, r.params().length());
            strategyWidth = Math.max(strategyWidth, r.strategy().length());
        }
        String format = "%-" + benchmarkWidth + "s  %-" + paramsWidth + "s  %-" + strategyWidth
                + "s %16s %-9s %4s %7s %7s %9s %10s %10s %10s%n";
        out.printf(Locale.ROOT, format, "benchmark", "params", "strategy", "median", "unit", "n", "spread", "forks", "vs glibc",
                "mmap/op", "munmap/op", "mincore/op");
        for (Row r : rows) {
            Double base = glibc.get(r.benchmark() + " " + r.params());
            String ratio = base == null || base == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", r.median() / base);
            out.printf(Locale.ROOT, format, r.benchmark(), r.params().isEmpty() ? "-" : r.params(), r.strategy(),
                    String.format(Locale.ROOT, "%,.0f", r.median()), r.unit(), r.samples(),
                    percent(r.spread()), percent(r.forkSpread()), ratio,
                    syscalls(r, r.mmapPerOp()), syscalls(r, r.munmapPerOp()), syscalls(r, r.mincorePerOp()));
        }
        out.flush();
    }

    private static String syscalls(Row r, double perOp) {
        if (r.nativeBaseline()) {
            return "n/a";
        }
        if (Double.isNaN(perOp)) {
            return "-";
        }
        return perOp == 0 ? "0" : String.format(Locale.ROOT, "%.2e", perOp);
    }

    private static String percent(double p) {
        return Double.isNaN(p) ? "-" : String.format(Locale.ROOT, "%.1f%%", p);
    }

    /** (max - min) / median of the forks' own mean scores, in percent; NaN with fewer than two forks. */
    private static double forkSpread(RunResult r, double median) {
        return forkSpread(r.getBenchmarkResults().stream().mapToDouble(f -> f.getPrimaryResult().getScore()).toArray(),
                median);
    }

    static double forkSpread(double[] forkScores, double median) {
        if (forkScores.length < 2 || median == 0) {
            return Double.NaN;
        }
        return 100 * dev.slabworks.harness.bench.RunResult.spreadOf(forkScores, median); // JMH has a RunResult too
    }

    /** (max - min) / median of the measured iterations, in percent: how far to trust the median. */
    private static double spread(Result<?> primary) {
        var st = primary.getStatistics();
        double median = st.getPercentile(50);
        return st.getN() == 0 || median == 0 ? Double.NaN : 100 * (st.getMax() - st.getMin()) / median;
    }

    private static double perOp(Result<?> counter, double ops) {
        return counter == null || ops == 0 ? Double.NaN : counter.getScore() / ops;
    }

    /** {@code dev.slabworks.benchmarks.RandomMixedBenchmark.anchorC} to {@code RandomMixedBenchmark.anchorC}. */
    static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int cls = method > 0 ? benchmark.lastIndexOf('.', method - 1) : -1;
        return benchmark.substring(cls + 1);
    }

    /** Every param but {@code strategy}, as {@code name=value} (empty values left out). */
    static String otherParams(BenchmarkParams p) {
        Set<String> keys = new TreeSet<>(p.getParamsKeys());
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            String v = p.getParam(k);
            if (k.equals("strategy") || v == null || v.isEmpty()) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(k).append('=').append(v);
        }
        return sb.toString();
    }
}
