package dev.slabworks.harness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slabworks.api.os.Syscall;
import dev.slabworks.api.os.SyscallCause;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.api.stats.SyscallsByCause;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A strategy's {@code mmap}, {@code munmap}, {@code madvise} and {@code mincore} calls in one run, by
 * {@link SyscallCause}: a row per cause that made one (in the enum's order), whose sums are the run's
 * {@code syscalls} of those four calls ({@code membarrier} has no rows: see {@link RunResult#SYSCALLS}), and the
 * {@link #close()} row apart, not in those sums (the seed's counts were a process's, which never unmaps at exit):
 * the {@code munmap}s closing the allocator at the run's end makes, one per mapping live then ({@code close()} unmaps
 * each mapping with one call, which the contract suite checks; the runner itself trims before it closes, to read the
 * memory left after {@code trim()}, so its own close unmaps less). In a results file:
 * {@code "syscallsByCause": {"superslab_map": {"mmap", "munmap", "madvise", "mincore", "seconds"}, ...,
 * "close": {...}}}; close's seconds are 0 (not timed).
 */
public record SyscallCauses(Map<String, Row> rows, Row close) {
    /** The four calls a report shows, in its column order. */
    static final Syscall[] CALLS = {Syscall.MMAP, Syscall.MUNMAP, Syscall.MADVISE, Syscall.MINCORE};
    /** The key of the close row in a results file. */
    public static final String CLOSE = SyscallCause.CLOSE.key();

    /** One cause's calls: counts of the four calls and the time in them. */
    public record Row(String label, long mmap, long munmap, long madvise, long mincore, double seconds) {
        public long count(Syscall call) {
            return switch (call) {
                case MMAP -> mmap;
                case MUNMAP -> munmap;
                case MADVISE -> madvise;
                case MINCORE -> mincore;
                default -> 0;
            };
        }

        public long total() {
            return mmap + munmap + madvise + mincore;
        }

        static Row of(String label, SyscallsByCause s, SyscallCause cause) {
            long nanos = 0;
            for (Syscall c : CALLS) {
                nanos += s.nanos(c, cause);
            }
            return new Row(label, s.count(Syscall.MMAP, cause), s.count(Syscall.MUNMAP, cause),
                    s.count(Syscall.MADVISE, cause), s.count(Syscall.MINCORE, cause), nanos / 1e9);
        }
    }

    /** The rows of {@code run} (the median repetition, before the runner's trim and close) and close's. */
    static SyscallCauses of(StatsSnapshot run) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (SyscallCause cause : SyscallCause.values()) {
            Row r = Row.of(cause.label(), run.syscallsByCause(), cause);
            if (r.total() > 0) {
                rows.put(cause.key(), r);
            }
        }
        return new SyscallCauses(rows, new Row(SyscallCause.CLOSE.label(), 0, run.get(Stat.MAPPINGS_LIVE), 0, 0, 0));
    }

    /** The sums of the rows (close not included): the run's four counts. */
    public Row total() {
        long[] n = new long[CALLS.length];
        double seconds = 0;
        for (Row r : rows.values()) {
            for (int i = 0; i < CALLS.length; i++) {
                n[i] += r.count(CALLS[i]);
            }
            seconds += r.seconds();
        }
        return new Row("total", n[0], n[1], n[2], n[3], seconds);
    }

    void write(ObjectNode into) {
        rows.forEach((key, r) -> write(into.putObject(key), r));
        write(into.putObject(CLOSE), close);
    }

    private static void write(ObjectNode n, Row r) {
        for (Syscall c : CALLS) {
            n.put(c.cName(), r.count(c));
        }
        n.put("seconds", r.seconds());
    }

    /** What {@link #write} wrote; null when {@code n} is not an object (a baseline, a file written before causes). */
    static SyscallCauses read(JsonNode n) {
        if (!n.isObject()) {
            return null;
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        Row close = null;
        for (var e : n.properties()) {
            JsonNode v = e.getValue();
            Row r = new Row(label(e.getKey()), v.path("mmap").asLong(), v.path("munmap").asLong(),
                    v.path("madvise").asLong(), v.path("mincore").asLong(), v.path("seconds").asDouble());
            if (e.getKey().equals(CLOSE)) {
                close = r;
            } else {
                rows.put(e.getKey(), r);
            }
        }
        return new SyscallCauses(rows, close == null ? new Row(SyscallCause.CLOSE.label(), 0, 0, 0, 0, 0) : close);
    }

    private static String label(String key) {
        for (SyscallCause c : SyscallCause.values()) {
            if (c.key().equals(key)) {
                return c.label();
            }
        }
        return key.toLowerCase(Locale.ROOT);
    }
}
