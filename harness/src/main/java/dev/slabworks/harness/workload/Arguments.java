package dev.slabworks.harness.workload;

/** The checks the workloads' constructors share, each failing with one line naming the workload and the argument. */
final class Arguments {
    /** The largest block a workload asks for. */
    static final long MAX_SIZE = 1L << 30;

    private Arguments() {
    }

    static void atLeast(String workload, String what, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(workload + ": " + what + " must be >= " + min + ", not " + value);
        }
    }

    static void between(String workload, String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(workload + ": " + what + " must be " + min + ".." + max + ", not " + value);
        }
    }

    /** Block sizes MIN..MAX: at least one byte, at most {@link #MAX_SIZE}. */
    static void sizes(String workload, long min, long max) {
        if (min < 1 || max < min || max > MAX_SIZE) {
            throw new IllegalArgumentException(workload + ": need 1 <= MIN <= MAX <= " + MAX_SIZE + ", not MIN=" + min
                    + " MAX=" + max);
        }
    }
}
