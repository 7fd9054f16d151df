package dev.slabworks.api.stats;

import dev.slabworks.api.os.Syscall;
import dev.slabworks.api.os.SyscallCause;
import dev.slabworks.api.os.SyscallCounters;

/**
 * The allocator's kernel calls at one moment, by call and {@link SyscallCause}: what a report prints as the
 * seed's syscall table with a column per call and a row per cause. Immutable. The totals per call are the
 * {@code SYSCALL_*} rows of the same snapshot.
 */
public final class SyscallsByCause {
    private static final int CAUSES = SyscallCause.values().length;

    private final long[] counts;
    private final long[] nanos;

    private SyscallsByCause(long[] counts, long[] nanos) {
        this.counts = counts;
        this.nanos = nanos;
    }

    static SyscallsByCause of(SyscallCounters c) {
        long[] counts = new long[Syscall.values().length * CAUSES];
        long[] nanos = new long[counts.length];
        for (Syscall call : Syscall.values()) {
            for (SyscallCause cause : SyscallCause.values()) {
                counts[call.ordinal() * CAUSES + cause.ordinal()] = c.count(call, cause);
                nanos[call.ordinal() * CAUSES + cause.ordinal()] = c.nanos(call, cause);
            }
        }
        return new SyscallsByCause(counts, nanos);
    }

    /** The calls made since {@code earlier}, by call and cause. */
    SyscallsByCause since(SyscallsByCause earlier) {
        long[] c = counts.clone();
        long[] n = nanos.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] -= earlier.counts[i];
            n[i] -= earlier.nanos[i];
        }
        return new SyscallsByCause(c, n);
    }

    public long count(Syscall call, SyscallCause cause) {
        return counts[call.ordinal() * CAUSES + cause.ordinal()];
    }

    public long nanos(Syscall call, SyscallCause cause) {
        return nanos[call.ordinal() * CAUSES + cause.ordinal()];
    }

    /** Calls of every kind made for {@code cause}. */
    public long count(SyscallCause cause) {
        long n = 0;
        for (Syscall call : Syscall.values()) {
            n += count(call, cause);
        }
        return n;
    }
}
