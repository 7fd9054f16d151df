package dev.slabworks.benchmarks;

import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The allocator's {@code mmap}, {@code munmap} and {@code mincore} calls, as JMH secondary results
 * ({@code ·mmap}, {@code ·munmap}, {@code ·mincore}). JMH normalises {@code OPERATIONS} counters by
 * the iteration's time exactly as it does the score, so each reads "calls/s"; divided by the score
 * (same iterations, same time) it is calls per op, which is what the {@code jmh} summary prints.
 *
 * <p>The counts are the allocator's own ({@code Os}, counted per instance) from the iteration's set-up
 * to its tear-down (snapshots outside the timed loop; a multi-threaded benchmark's synchronisation
 * warm-up and warm-down ops fall inside that window, so its per-op figure is a slight overestimate).
 * Native baselines' syscalls are invisible to slabworks: they read 0 (the summary prints n/a).
 * A benchmark with several threads gives this state to one of them only, or it would count twice.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Syscalls {
    private StatsSnapshot start;
    private long mmap;
    private long munmap;
    private long mincore;

    @Setup(Level.Iteration)
    public void begin(AllocatorState allocatorState) {
        start = allocatorState.allocator.stats();
        mmap = munmap = mincore = 0;
    }

    /** Before the trial's tear-down, which closes the allocator (JMH reads the counters after both). */
    @TearDown(Level.Iteration)
    public void end(AllocatorState allocatorState) {
        StatsSnapshot now = allocatorState.allocator.stats();
        mmap = now.since(start, Stat.SYSCALL_MMAP);
        munmap = now.since(start, Stat.SYSCALL_MUNMAP);
        mincore = now.since(start, Stat.SYSCALL_MINCORE);
    }

    public long mmap() {
        return mmap;
    }

    public long munmap() {
        return munmap;
    }

    public long mincore() {
        return mincore;
    }
}
