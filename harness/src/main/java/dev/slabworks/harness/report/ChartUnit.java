package dev.slabworks.harness.report;

/**
 * The unit a chart's value axis counts in, picked from the largest value so tick labels stay short: ops/s in
 * M ops/s or K ops/s, bytes in MiB or KiB, calls as they are.
 */
record ChartUnit(String name, double divisor) {
    static ChartUnit of(Figure f, double largest) {
        return switch (f) {
            case OPS -> largest >= 1e6 ? new ChartUnit("M ops/s", 1e6) : new ChartUnit("K ops/s", 1e3);
            case RESIDENT -> largest >= 1 << 20 ? new ChartUnit("MiB", 1 << 20) : new ChartUnit("KiB", 1 << 10);
            default -> new ChartUnit("calls", 1);
        };
    }

    /** The axis label: what the figure is, in this unit. */
    String axis(Figure f) {
        return f.axis.replace("%s", name);
    }
}
