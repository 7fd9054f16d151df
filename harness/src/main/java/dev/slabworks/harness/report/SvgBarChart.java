package dev.slabworks.harness.report;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart as standalone SVG: one labelled bar per entry, scaled to the largest
 * value, with the value printed at the bar's end. Small on purpose: no axes library, no script,
 * renders the same in a browser, an image viewer and a GitHub diff.
 */
public final class SvgBarChart {
    public record Bar(String label, double value, String text, boolean baseline) {
    }

    private static final int LABEL_WIDTH = 150;
    private static final int BAR_AREA = 430;
    private static final int ROW = 26;
    private static final int TOP = 34;

    private SvgBarChart() {
    }

    public static String render(String title, List<Bar> bars) {
        int height = TOP + ROW * Math.max(1, bars.size()) + 12;
        int width = LABEL_WIDTH + BAR_AREA + 110;
        double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">%n", width, height, width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
        s.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"20\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", escape(title)));
        if (bars.isEmpty()) {
            s.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\" fill=\"#666\">no data</text>%n", TOP + 16));
        }
        int y = TOP;
        for (Bar b : bars) {
            int w = max <= 0 ? 0 : (int) Math.round(BAR_AREA * b.value() / max);
            String fill = b.baseline() ? "#9aa5b1" : "#2f6fb0";
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL_WIDTH - 8, y + 17, escape(b.label())));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s: %s</title></rect>%n",
                    LABEL_WIDTH, y + 3, Math.max(w, 1), ROW - 6, fill, escape(b.label()), escape(b.text())));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#222\">%s</text>%n",
                    LABEL_WIDTH + Math.max(w, 1) + 6, y + 17, escape(b.text())));
            y += ROW;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
