package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.MedianInterval;
import dev.slabworks.harness.bench.Repetition;
import dev.slabworks.harness.bench.RunResult;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A figure a chart plots, with its spread: ops/s with the median's 95 % confidence interval; a syscall count, the
 * syscalls in all, or the resident peak of the median repetition with the min-max of every repetition (when the
 * results kept them).
 */
enum Figure {
    OPS("ops/s", "ops", "%s (median; whiskers: 95 % confidence interval)"),
    MMAP("mmap", "mmap", "mmap calls per repetition (whiskers: min-max)"),
    MUNMAP("munmap", "munmap", "munmap calls per repetition (whiskers: min-max)"),
    MADVISE("madvise", "madvise", "madvise calls per repetition (whiskers: min-max)"),
    MINCORE("mincore", "mincore", "mincore calls per repetition (whiskers: min-max)"),
    /** The handshakes of first remote frees: charted where a sweep made any, in no total (see RunResult.SYSCALLS). */
    MEMBARRIER("membarrier", "membarrier", "membarrier calls per repetition (whiskers: min-max)"),
    SYSCALLS("syscalls", "syscalls", "mmap + munmap + madvise + mincore per repetition (whiskers: min-max)"),
    RESIDENT("resident peak", "memory", "resident peak, %s (whiskers: min-max)");

    /** A value and its whiskers, in the figure's own unit (ops/s, calls, bytes). */
    record Point(double value, double low, double high) {
    }

    /** The syscall figures a sweep charts where any row made one, in a results file's order. */
    static final List<Figure> CALLS = List.of(MMAP, MUNMAP, MADVISE, MINCORE, MEMBARRIER);

    final String title;
    /** The word in its chart's file name: {@code X-1-ops.svg}, {@code X-1-sweep-munmap.svg}. */
    final String file;
    /** The value axis's label; {@code %s} stands for the unit. */
    final String axis;

    Figure(String title, String file, String axis) {
        this.title = title;
        this.file = file;
        this.axis = axis;
    }

    /** The figure of {@code r}, or null where it does not exist (a failed run, a baseline's syscalls, no sample). */
    Point of(RunResult r) {
        if (r.failed()) {
            return null;
        }
        return switch (this) {
            case OPS -> {
                MedianInterval i = r.opsPerSecInterval();
                yield new Point(i.median(), i.low(), i.high());
            }
            case MMAP, MUNMAP, MADVISE, MINCORE, MEMBARRIER -> {
                String call = title;
                if (r.syscalls() == null || !r.syscalls().containsKey(call)) {
                    yield null;
                }
                yield spread(r, r.syscalls().get(call).count(), rep -> rep.syscalls() == null ? -1
                        : rep.syscalls().getOrDefault(call, -1L));
            }
            case SYSCALLS -> r.syscallCount() < 0 ? null : spread(r, r.syscallCount(), Repetition::syscallCount);
            case RESIDENT -> r.memory().residentBytesPeak() < 0 ? null
                    : spread(r, r.memory().residentBytesPeak(), Repetition::residentBytesPeak);
        };
    }

    /** {@code median} with the min-max of the repetitions' known values (none known: no whiskers). */
    private static Point spread(RunResult r, long median, ToLongFunction<Repetition> figure) {
        double low = median;
        double high = median;
        for (Repetition rep : r.repetitions()) {
            long v = figure.applyAsLong(rep);
            if (v >= 0) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        return new Point(median, low, high);
    }
}
