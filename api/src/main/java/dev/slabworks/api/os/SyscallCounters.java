package dev.slabworks.api.os;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Count and total wall time of every kernel call one {@link Os} made, by call and by {@link SyscallCause}:
 * one slot per pair, indexed {@code call * CAUSES + cause}, so a call site that knows its cause adds to its
 * slot and nothing else. Thread-safe; the cost of the atomic add is noise beside the syscall it counts.
 */
public final class SyscallCounters {
    private static final int KINDS = Syscall.values().length;
    private static final int CAUSES = SyscallCause.values().length;

    private final AtomicLongArray counts = new AtomicLongArray(KINDS * CAUSES);
    private final AtomicLongArray nanos = new AtomicLongArray(KINDS * CAUSES);

    void record(Syscall call, SyscallCause cause, long elapsedNanos) {
        int slot = call.ordinal() * CAUSES + cause.ordinal();
        counts.incrementAndGet(slot);
        nanos.addAndGet(slot, elapsedNanos);
    }

    /** Calls of {@code call}, every cause. */
    public long count(Syscall call) {
        long sum = 0;
        for (int c = 0; c < CAUSES; c++) {
            sum += counts.get(call.ordinal() * CAUSES + c);
        }
        return sum;
    }

    /** Time in {@code call}, every cause. */
    public long nanos(Syscall call) {
        long sum = 0;
        for (int c = 0; c < CAUSES; c++) {
            sum += nanos.get(call.ordinal() * CAUSES + c);
        }
        return sum;
    }

    public long count(Syscall call, SyscallCause cause) {
        return counts.get(call.ordinal() * CAUSES + cause.ordinal());
    }

    public long nanos(Syscall call, SyscallCause cause) {
        return nanos.get(call.ordinal() * CAUSES + cause.ordinal());
    }

    /** Calls of every kind, summed. */
    public long totalCount() {
        long sum = 0;
        for (int i = 0; i < counts.length(); i++) {
            sum += counts.get(i);
        }
        return sum;
    }

    /** Time in calls of every kind, summed. */
    public long totalNanos() {
        long sum = 0;
        for (int i = 0; i < nanos.length(); i++) {
            sum += nanos.get(i);
        }
        return sum;
    }
}
