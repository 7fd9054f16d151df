package dev.slabworks.harness.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured repetition's own figures, kept beside the median repetition's whole record so that charts and
 * {@code compare} can show how far the repetitions spread on every figure, not on ops/s alone.
 *
 * @param syscalls          calls of one whole run by name ({@code mmap}, {@code munmap}, {@code madvise},
 *                          {@code mincore}); null for a native baseline, whose calls slabworks cannot see
 * @param residentBytesPeak the sampled resident peak in bytes; {@link MemoryFigures#UNKNOWN} when not sampled
 */
public record Repetition(double opsPerSec, Map<String, Long> syscalls, long residentBytesPeak) {
    public Repetition {
        syscalls = syscalls == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(syscalls));
    }

    /** mmap + munmap + madvise + mincore, or -1 when unknown. */
    public long syscallCount() {
        return syscalls == null ? -1 : syscalls.values().stream().mapToLong(Long::longValue).sum();
    }
}
