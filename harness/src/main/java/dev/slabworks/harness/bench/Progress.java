package dev.slabworks.harness.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where a long run is: which step of how many (the whole run is planned before its first step, so the
 * total moves only by a warm-up added while the JIT still compiles, planned as it comes), and an
 * estimate of the time left. Steps come in groups (a workload: its
 * repetitions on every contender) whose steps take about as long as each other, so a group's remaining
 * steps are estimated from its own steps done; a group not started yet is estimated from its weight
 * (the ops of one step, when known) at the time per op of the weighted steps done, so a long workload
 * still ahead is not estimated from the short steps of one behind. On a terminal one line is redrawn in
 * place; otherwise (a pipe, a CI log) each step is a plain line.
 */
public final class Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private int total;
    private int started;
    private Group current;
    private long currentStart;
    private int lastWidth;

    /** The steps of one group: how many, the weight of each (0: unknown), and the time each one done took. */
    private static final class Group {
        int planned;
        double weight;
        final List<Long> nanos = new ArrayList<>();

        int done() {
            return nanos.size();
        }
    }

    public Progress(PrintWriter out, boolean terminal) {
        this(out, terminal, System::nanoTime);
    }

    /** With {@code clock} giving the time in nanoseconds (for tests). */
    Progress(PrintWriter out, boolean terminal, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    /** For the real command line: a terminal when the JVM has an interactive console. */
    public static Progress forConsole(PrintWriter err) {
        java.io.Console c = System.console();
        return new Progress(err, c != null && c.isTerminal());
    }

    /** A progress that says nothing. */
    public static Progress silent() {
        return new Progress(new PrintWriter(java.io.OutputStream.nullOutputStream()), false);
    }

    /** {@code steps} more steps in {@code group}, each of about {@code weight} (e.g. its ops; 0 when unknown). */
    public void plan(String group, int steps, double weight) {
        Group g = groups.computeIfAbsent(group, k -> new Group());
        g.planned += steps;
        g.weight = weight;
        total += steps;
    }

    /** {@code steps} planned steps of {@code group} that will not run (a contender whose JVM failed gets no more). */
    public void drop(String group, int steps) {
        Group g = groups.get(group);
        int n = g == null ? 0 : Math.min(steps, g.planned - g.done() - (current == g ? 1 : 0));
        if (n > 0) {
            g.planned -= n;
            total -= n;
        }
    }

    /** About to run {@code what}, a step of {@code group}; ends the step before and prints this one with the time left. */
    public void step(String group, String what) {
        long now = clock.getAsLong();
        endCurrent(now);
        current = groups.computeIfAbsent(group, k -> new Group());
        if (current.planned <= current.done()) { // a step nobody planned still counts
            current.planned++;
            total++;
        }
        currentStart = now;
        started++;
        Duration left = timeLeft();
        String line = "[" + started + "/" + total + "] " + what + (left == null ? "" : ", " + format(left) + " left");
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the last step and clears the in-place line before the results are printed. */
    public void finish() {
        endCurrent(clock.getAsLong());
        if (terminal && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            out.flush();
            lastWidth = 0;
        }
    }

    private void endCurrent(long now) {
        if (current != null) {
            current.nanos.add(now - currentStart);
            current = null;
        }
    }

    /**
     * The time the steps not done yet (this one included) should take; null before any step is done. Medians, not
     * means: a contender's first steps carry its JIT compilation and would make every step ahead look slow.
     */
    Duration timeLeft() {
        List<Double> all = new ArrayList<>();
        List<Double> perWeight = new ArrayList<>();
        for (Group g : groups.values()) {
            for (long n : g.nanos) {
                all.add((double) n);
                if (g.weight > 0) {
                    perWeight.add(n / g.weight);
                }
            }
        }
        if (all.isEmpty()) {
            return null;
        }
        double left = 0;
        for (Group g : groups.values()) {
            double perStep;
            if (g.done() > 0) {
                perStep = median(g.nanos.stream().map(Long::doubleValue).toList());
            } else if (g.weight > 0 && !perWeight.isEmpty()) {
                perStep = g.weight * median(perWeight);
            } else {
                perStep = median(all);
            }
            left += (g.planned - g.done()) * perStep;
        }
        return Duration.ofNanos((long) left);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** ~42s, ~2m05s, ~1h10m; under a second, &lt;1s. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s < 1) {
            return "<1s";
        }
        if (s >= 3600) {
            return "~" + s / 3600 + "h" + String.format("%02d", s % 3600 / 60) + "m";
        }
        return "~" + (s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s");
    }
}
