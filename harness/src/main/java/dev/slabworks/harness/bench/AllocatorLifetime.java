package dev.slabworks.harness.bench;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.workload.Workload;

/**
 * How long one allocator of a contender serves in {@code bench} and {@code profile} (knob
 * {@code allocator.lifetime}). A native library is always warm: it has served the JVM since it was loaded. A
 * strategy is either made afresh for every repetition, so that a repetition's syscalls and page faults are a whole
 * run's, start-up included, as the seed report counts them; or made once per run and kept, as a process keeps its
 * allocator, so that a short workload measures the allocator warm and not its first mappings.
 */
public enum AllocatorLifetime {
    /** {@link #RUN} for a workload that {@linkplain Workload#measuresWarmAllocator asks for it}, else {@link #REPETITION}. */
    AUTO,
    /** A fresh allocator for every warm-up and measured repetition, made and closed outside the timed loop. */
    REPETITION,
    /**
     * One allocator through a contender's warm-ups and repetitions: each repetition's counters are what it made
     * itself ({@code StatsSnapshot#since}), and {@code trim()} runs once, after the last.
     */
    RUN;

    /** The lifetime {@code knobs} give a run of {@code workload}. */
    public static AllocatorLifetime of(Knobs knobs, Workload workload) {
        AllocatorLifetime set = knobs.choice(HarnessKnobs.ALLOCATOR_LIFETIME, AllocatorLifetime.class);
        if (set != AUTO) {
            return set;
        }
        return workload.measuresWarmAllocator() ? RUN : REPETITION;
    }
}
