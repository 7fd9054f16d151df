package dev.slabworks.harness.bench;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Where a long run is: which contender, which repetition, and an estimate of the time left from the
 * mean time of the steps done so far. On a terminal one line is redrawn in place; otherwise (a pipe,
 * a CI log) each step is a plain line.
 */
public final class Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private int total;
    private int done;
    private int lastWidth;

    public Progress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
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

    public void plan(int steps) {
        total += steps;
    }

    /** About to run {@code what}; prints it with the time left. */
    public void step(String what) {
        String left = done == 0 ? "" : ", ~" + format(Duration.ofNanos((System.nanoTime() - started) / done * (total - done))) + " left";
        String line = "[" + (done + 1) + "/" + total + "] " + what + left;
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
        done++;
    }

    /** Clears the in-place line before the results are printed. */
    public void finish() {
        if (terminal && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            out.flush();
        }
    }

    static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }
}
