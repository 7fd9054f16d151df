package dev.slabworks.harness.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured repetition's own figures, kept beside the median repetition's whole record so that charts and
 * {@code compare} can show how far the repetitions spread on every figure, not on ops/s alone.
 *
 * @param syscalls          calls of one whole run by name ({@code mmap}, {@code munmap}, {@code madvise},
 *                          {@code mincore}, {@code membarrier}); null for a native baseline, whose calls slabworks
 *                          cannot see
 * @param residentBytesPeak the sampled resident peak in bytes; {@link MemoryFigures#UNKNOWN} when not sampled
 * @param workloadCounts    what the workload counted in this repetition (mt-remote's {@code fallbackPct}, ...);
 *                          empty when it counts nothing
 * @param crossCpuNanos     the host's cross-CPU round trip just before the repetition ({@link CrossCpuProbe}); NaN when
 *                          not measured
 */
public record Repetition(double opsPerSec, Map<String, Long> syscalls, long residentBytesPeak,
                         Map<String, Number> workloadCounts, double crossCpuNanos) {
    public Repetition {
        syscalls = syscalls == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(syscalls));
        workloadCounts = Collections.unmodifiableMap(new LinkedHashMap<>(workloadCounts));
    }

    /** A repetition of a workload that counts nothing beside its ops, with no probe of the host. */
    public Repetition(double opsPerSec, Map<String, Long> syscalls, long residentBytesPeak) {
        this(opsPerSec, syscalls, residentBytesPeak, Map.of(), Double.NaN);
    }

    /** mmap + munmap + madvise + mincore ({@link RunResult#SYSCALLS}), or -1 when unknown. */
    public long syscallCount() {
        return syscalls == null ? -1 : RunResult.SYSCALLS.stream().mapToLong(k -> syscalls.getOrDefault(k, 0L)).sum();
    }
}
