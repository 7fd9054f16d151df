package dev.slabworks.testkit.contract;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What code prints on standard error, for tests of the reports an allocator prints when it closes. */
public final class StandardError {
    private StandardError() {
    }

    /** Runs {@code body} with {@code System.err} captured and returns what it printed there. */
    public static String during(Runnable body) {
        PrintStream saved = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
