package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.RunResult;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYBarDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's charts, drawn by JFreeChart into SVG (JFreeSVG): a well-kept library gives axes, tick labels,
 * units, whiskers and a legend that fit, where hand-drawn SVG gave none of them. Two kinds:
 * <ul>
 *   <li>{@link #bars}: one horizontal bar per row (its label and value on the left), whiskers for the spread;
 *       strategies blue, native baselines grey, each a legend entry.</li>
 *   <li>{@link #lines}: a sweep, the swept knob's values along x (evenly spaced, in sweep order, as the knob
 *       table writes them), one line per series with whiskers at each point.</li>
 * </ul>
 * Every chart is white, sized for two side by side on a slide, with every label inside its box.
 */
final class Charts {
    static {
        // charts are drawn into SVG; no display is needed, and none may be reachable
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 620;
    static final int LINE_HEIGHT = 380;
    static final Color STRATEGY = new Color(0x2f6fb0);
    static final Color BASELINE = new Color(0x9aa5b1);
    /** Line colours, distinguishable in colour and in grey. */
    static final Color[] SERIES = {new Color(0x2f6fb0), new Color(0xd9822b), new Color(0x3a9a5b), new Color(0xb03a5a),
            new Color(0x6b4fb0), new Color(0x8c6d31), new Color(0x1b9e9e), new Color(0x555555)};
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    /** A drawn chart: its SVG element and the size it was drawn at. */
    record Svg(String element, int width, int height) {
    }

    /** One row of a bar chart: its label, the value beside it ({@code 53.31M}, {@code ≥ 65.3 MiB}) and its bar. */
    record Bar(String label, String text, boolean baseline, Figure.Point point) {
    }

    /** One line of a sweep chart: its name and its point at each x (null where it has none). */
    record Line(String name, List<Figure.Point> points) {
    }

    private Charts() {
    }

    /** Horizontal bars of {@code figure}, one per row; null when no row has the figure. */
    static Svg bars(String title, String subtitle, Figure figure, List<Bar> bars, String id) {
        double largest = bars.stream().mapToDouble(b -> b.point().high()).max().orElse(0);
        ChartUnit unit = ChartUnit.of(figure, largest);
        String[] labels = new String[bars.size()];
        YIntervalSeries strategies = new YIntervalSeries("strategy");
        YIntervalSeries baselines = new YIntervalSeries("native baseline");
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int x = bars.size() - 1 - i; // the first row on top
            labels[x] = b.label() + "  " + b.text();
            Figure.Point p = b.point();
            (b.baseline() ? baselines : strategies).add(x, p.value() / unit.divisor(), p.low() / unit.divisor(),
                    p.high() / unit.divisor());
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        List<Color> colours = new ArrayList<>();
        if (strategies.getItemCount() > 0) {
            data.addSeries(strategies);
            colours.add(STRATEGY);
        }
        if (baselines.getItemCount() > 0) {
            data.addSeries(baselines);
            colours.add(BASELINE);
        }
        SymbolAxis rows = new SymbolAxis(null, labels);
        rows.setTickLabelFont(TICK);
        rows.setGridBandsVisible(false);
        NumberAxis values = valueAxis(unit.axis(figure), figure);
        XYBarRenderer barRenderer = new XYBarRenderer();
        barRenderer.setBarPainter(new StandardXYBarPainter());
        barRenderer.setShadowVisible(false);
        barRenderer.setDrawBarOutline(false);
        XYErrorRenderer whiskers = whiskers(false);
        whiskers.setDefaultSeriesVisibleInLegend(false);
        for (int s = 0; s < colours.size(); s++) {
            barRenderer.setSeriesPaint(s, colours.get(s));
            whiskers.setSeriesPaint(s, Color.DARK_GRAY);
        }
        XYPlot plot = new XYPlot(new XYBarDataset(data, 0.62), rows, values, barRenderer);
        plot.setDataset(1, data);
        plot.setRenderer(1, whiskers);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        style(plot);
        int height = 126 + 30 * Math.max(1, bars.size());
        return draw(chart(title, subtitle, plot), WIDTH, height, id);
    }

    /** A sweep: {@code xs} (the swept knob's values) along x, {@code xLabel} under them, one line per entry. */
    static Svg lines(String title, String subtitle, Figure figure, String xLabel, List<String> xs, List<Line> lines,
                     String id) {
        double largest = lines.stream().flatMap(l -> l.points().stream()).filter(p -> p != null)
                .mapToDouble(Figure.Point::high).max().orElse(0);
        ChartUnit unit = ChartUnit.of(figure, largest);
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Line l : lines) {
            YIntervalSeries s = new YIntervalSeries(l.name());
            for (int i = 0; i < xs.size(); i++) {
                Figure.Point p = l.points().get(i);
                if (p != null) {
                    s.add(i, p.value() / unit.divisor(), p.low() / unit.divisor(), p.high() / unit.divisor());
                }
            }
            data.addSeries(s);
        }
        SymbolAxis x = new SymbolAxis(xLabel, xs.toArray(String[]::new));
        x.setLabelFont(LABEL);
        x.setTickLabelFont(TICK);
        x.setGridBandsVisible(false);
        x.setLowerMargin(0.04);
        x.setUpperMargin(0.04);
        XYErrorRenderer renderer = whiskers(true);
        for (int s = 0; s < lines.size(); s++) {
            renderer.setSeriesPaint(s, SERIES[s % SERIES.length]);
            renderer.setSeriesStroke(s, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, valueAxis(unit.axis(figure), figure), renderer);
        style(plot);
        return draw(chart(title, subtitle, plot), WIDTH, LINE_HEIGHT, id);
    }

    private static XYErrorRenderer whiskers(boolean lines) {
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDrawXError(false);
        r.setDrawYError(true);
        r.setCapLength(7);
        r.setErrorStroke(new BasicStroke(1.3f));
        r.setDefaultLinesVisible(lines);
        r.setDefaultShapesVisible(lines);
        return r;
    }

    private static NumberAxis valueAxis(String label, Figure figure) {
        NumberAxis axis = new NumberAxis(label);
        axis.setLabelFont(LABEL);
        axis.setTickLabelFont(TICK);
        axis.setAutoRangeIncludesZero(true);
        axis.setUpperMargin(0.08);
        if (figure != Figure.OPS && figure != Figure.RESIDENT) {
            axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        return axis;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    }

    /** A chart under {@code title}, with {@code subtitle} (the workload) beneath it so a chart alone says what ran. */
    private static JFreeChart chart(String title, String subtitle, XYPlot plot) {
        JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
        TextTitle sub = new TextTitle(subtitle, TICK);
        sub.setPaint(Color.DARK_GRAY);
        chart.addSubtitle(0, sub);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 6, 6, 14));
        LegendTitle legend = chart.getLegend();
        legend.setItemFont(LABEL);
        legend.setFrame(BlockBorder.NONE);
        legend.setPosition(RectangleEdge.BOTTOM);
        return chart;
    }

    private static Svg draw(JFreeChart chart, int width, int height, String id) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(id + "-"); // several charts inline in one page must not share clip-path ids
        chart.draw(g, new Rectangle(0, 0, width, height));
        return new Svg(g.getSVGElement(id), width, height);
    }

    /** The value printed beside a bar's label: 53.31M, 1,234, 12.5 MiB, and "≥ 65.3 MiB" for a library's bound. */
    static String value(Figure f, RunResult r, double v) {
        return switch (f) {
            case OPS -> Format.ops(v);
            case RESIDENT -> Format.resident((long) v, r.memory().residentBound());
            default -> Format.count((long) v);
        };
    }

    /** The rows of one workload as bars of {@code figure}: those that have it, in order. */
    static List<Bar> bars(List<RunResult> rows, Figure figure) {
        List<Bar> out = new ArrayList<>();
        for (RunResult r : rows) {
            Figure.Point p = figure.of(r);
            if (p != null) {
                out.add(new Bar(r.label(), value(figure, r, p.value()), r.kind().equals("baseline"), p));
            }
        }
        return out;
    }

    /** Series names in first-seen order, each mapped to its points along {@code xs}. */
    static List<Line> lines(Map<String, Map<String, RunResult>> bySeries, List<String> xs, Figure figure) {
        List<Line> out = new ArrayList<>();
        bySeries.forEach((name, byX) -> {
            List<Figure.Point> points = new ArrayList<>();
            boolean any = false;
            for (String x : xs) {
                RunResult r = byX.get(x);
                Figure.Point p = r == null ? null : figure.of(r);
                any |= p != null;
                points.add(p);
            }
            if (any) {
                out.add(new Line(name, points));
            }
        });
        return out;
    }

    /** An empty series map that keeps insertion order. */
    static Map<String, Map<String, RunResult>> series() {
        return new LinkedHashMap<>();
    }
}
