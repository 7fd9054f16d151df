package dev.slabworks.api.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The stats table at one moment, by row, and the syscalls by cause behind its {@code SYSCALL_*} rows. Immutable. */
public final class StatsSnapshot {
    private final long[] values;
    private final SyscallsByCause syscalls;

    StatsSnapshot(long[] values, SyscallsByCause syscalls) {
        this.values = values;
        this.syscalls = syscalls;
    }

    public long get(Stat stat) {
        return values[stat.ordinal()];
    }

    /** The allocator's kernel calls by call and cause, taken with the rows. */
    public SyscallsByCause syscallsByCause() {
        return syscalls;
    }

    /** {@code stat} minus its value in {@code earlier}: for counters over a measured interval. */
    public long since(StatsSnapshot earlier, Stat stat) {
        return get(stat) - earlier.get(stat);
    }

    /**
     * This snapshot over the interval since {@code earlier} (of the same allocator): the rows that
     * {@linkplain Stat#countsEvents count events} and the syscalls by cause as their change, the current values and
     * peaks as they are now. What one repetition made when an allocator serves several.
     */
    public StatsSnapshot since(StatsSnapshot earlier) {
        long[] v = values.clone();
        for (Stat s : Stat.values()) {
            if (s.countsEvents()) {
                v[s.ordinal()] -= earlier.values[s.ordinal()];
            }
        }
        return new StatsSnapshot(v, syscalls.since(earlier.syscalls));
    }

    /** Every row by its results-file key, in table order. */
    public Map<String, Long> asMap() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Stat s : Stat.values()) {
            out.put(s.key(), values[s.ordinal()]);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Invalid frees of every kind. */
    public long invalidFrees() {
        return get(Stat.INVALID_FREE_FOREIGN) + get(Stat.INVALID_FREE_INTERIOR) + get(Stat.INVALID_FREE_DOUBLE);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
