package dev.slabworks.api.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The stats table at one moment, by row. Immutable. */
public final class StatsSnapshot {
    private final long[] values;

    StatsSnapshot(long[] values) {
        this.values = values;
    }

    public long get(Stat stat) {
        return values[stat.ordinal()];
    }

    /** {@code stat} minus its value in {@code earlier}: for counters over a measured interval. */
    public long since(StatsSnapshot earlier, Stat stat) {
        return get(stat) - earlier.get(stat);
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
