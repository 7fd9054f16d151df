package dev.slabworks.benchmarks;

import dev.slabworks.api.Allocator;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The allocator of one trial (one fork runs one parameter set), shared by every thread of the
 * benchmark, made through the harness's Guice wiring and closed at the end of the trial.
 *
 * <p>The {@code strategy} list below names everything slabworks knows of; {@code ./slabworks jmh}
 * replaces it at run time with what the wiring finds installed (plus {@code none}), so a new strategy
 * module is benchmarked without touching this list. A name that is not found fails its trial with
 * the accepted names; the other trials go on.
 */
@State(Scope.Benchmark)
public class AllocatorState {
    @Param({"superslab", "shared-pool", "mimalloc-like", "segregated-fit", "glibc", "jemalloc", "mimalloc", "tcmalloc", "none"})
    public String strategy;

    /**
     * Knob overrides, the JMH spelling of the harness's repeated {@code --set KEY=VALUE}:
     * {@code -p set='fc.cap=64;stats=false'}, pairs separated by {@code ;} because JMH splits param
     * values on {@code ,} (so {@code -p set='stats=false,stats=true'} is two trials). Spaces around a
     * pair and empty pairs are ignored; empty = defaults. Parsed by the same parser as {@code --set}
     * ({@link Suite#knobs}), so a bad pair, an unknown knob or a bad value fails the trial with the same
     * message as on the harness's command line.
     */
    @Param({""})
    public String set;

    Allocator allocator;

    @Setup(Level.Trial)
    public void create() {
        allocator = Suite.allocator(strategy, set);
    }

    @TearDown(Level.Trial)
    public void close() {
        if (allocator != null) {
            allocator.close();
        }
    }
}
