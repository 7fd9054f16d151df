package dev.slabworks.api.os;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Count and total wall time of every kernel call one {@link Os} made. Thread-safe; the cost of the
 * atomic add is noise beside the syscall it counts.
 */
public final class SyscallCounters {
    private static final int KINDS = Syscall.values().length;

    private final AtomicLongArray counts = new AtomicLongArray(KINDS);
    private final AtomicLongArray nanos = new AtomicLongArray(KINDS);

    void record(Syscall call, long elapsedNanos) {
        counts.incrementAndGet(call.ordinal());
        nanos.addAndGet(call.ordinal(), elapsedNanos);
    }

    public long count(Syscall call) {
        return counts.get(call.ordinal());
    }

    public long nanos(Syscall call) {
        return nanos.get(call.ordinal());
    }

    /** Calls of every kind, summed. */
    public long totalCount() {
        long sum = 0;
        for (int i = 0; i < KINDS; i++) {
            sum += counts.get(i);
        }
        return sum;
    }

    /** Time in calls of every kind, summed. */
    public long totalNanos() {
        long sum = 0;
        for (int i = 0; i < KINDS; i++) {
            sum += nanos.get(i);
        }
        return sum;
    }
}
