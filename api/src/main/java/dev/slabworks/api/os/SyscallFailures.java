package dev.slabworks.api.os;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The kernel calls of one {@link Os} that failed: a count per call, and the last failure as the exception that
 * names it. A failed call is counted here and not in {@link Os#syscalls()} (see {@link Os}, "Guarantees").
 */
final class SyscallFailures {
    private final AtomicLongArray counts = new AtomicLongArray(Syscall.values().length);
    private volatile OsException last;

    /** Counts a failed call and keeps it as {@link #last}; returns the exception that names it. */
    OsException record(Syscall call, int errno, String arguments) {
        counts.incrementAndGet(call.ordinal());
        OsException e = new OsException(call, errno, arguments);
        last = e;
        return e;
    }

    long count(Syscall call) {
        return counts.get(call.ordinal());
    }

    OsException last() {
        return last;
    }
}
