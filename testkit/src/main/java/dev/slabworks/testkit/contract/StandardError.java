package dev.slabworks.testkit.contract;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What code prints on standard error, for tests of the reports an allocator prints when it closes. */
public final class StandardError {
    private StandardError() {
    }

    /** What a body printed on standard error, and what it threw (null if it returned). */
    public record Outcome(String printed, Throwable thrown) {
    }

    /** Runs {@code body} with {@code System.err} captured and returns what it printed there. */
    public static String during(Runnable body) {
        Outcome o = capture(body);
        if (o.thrown() instanceof RuntimeException e) {
            throw e;
        }
        if (o.thrown() instanceof Error e) {
            throw e;
        }
        return o.printed();
    }

    /** Runs {@code body} with {@code System.err} captured; what it printed even if it threw, and what it threw. */
    public static Outcome capture(Runnable body) {
        PrintStream saved = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        Throwable thrown = null;
        try {
            body.run();
        } catch (RuntimeException | Error t) {
            thrown = t;
        } finally {
            System.setErr(saved);
        }
        return new Outcome(out.toString(StandardCharsets.UTF_8), thrown);
    }
}
