package dev.slabworks.harness.workload;

/** A trace that cannot be replayed; the message names the file and line. */
public final class TraceFormatException extends IllegalArgumentException {
    public TraceFormatException(String source, long line, String problem) {
        super(source + ":" + line + ": " + problem);
    }
}
