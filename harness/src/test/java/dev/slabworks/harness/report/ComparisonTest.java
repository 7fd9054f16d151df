package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.RunResult;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ComparisonTest {
    static RunResult run(String strategy, double opsPerSec, long mmaps) {
        Map<String, RunResult.Syscall> sys = new LinkedHashMap<>();
        sys.put("mmap", new RunResult.Syscall(mmaps, 0));
        sys.put("munmap", new RunResult.Syscall(0, 0));
        sys.put("madvise", new RunResult.Syscall(0, 0));
        sys.put("mincore", new RunResult.Syscall(0, 0));
        return new RunResult(strategy, "strategy", "random-mixed", List.of("1", "2", "3"), Map.of(), 0,
                new double[] {opsPerSec}, 1, 1, sys, 0, 0, Map.of(), null);
    }

    @Test
    void aFewMoreSyscallsAreNoiseButManyMoreAreARegression() {
        assertThat(new Comparison(List.of(run("s", 100, 3)), List.of(run("s", 100, 6)), 5).regressions()).isZero();
        assertThat(new Comparison(List.of(run("s", 100, 0)), List.of(run("s", 100, 100)), 5).regressions()).isOne();
        assertThat(new Comparison(List.of(run("s", 100, 1000)), List.of(run("s", 100, 1040)), 5).regressions()).isZero();
        assertThat(new Comparison(List.of(run("s", 100, 1000)), List.of(run("s", 100, 1060)), 5).regressions()).isOne();
    }

    @Test
    void membarrierCallsAreNotComparedSoAFileFromBeforeTheyWereCountedShowsNoRise() {
        RunResult old = run("s", 100, 10);
        Map<String, RunResult.Syscall> sys = new LinkedHashMap<>(old.syscalls());
        sys.put("membarrier", new RunResult.Syscall(5000, 0.05));
        RunResult now = new RunResult("s", "strategy", "random-mixed", List.of("1", "2", "3"), Map.of(), 0,
                new double[] {100}, 1, 1, sys, 0, 0, Map.of(), null);
        assertThat(now.syscallCount()).isEqualTo(10);
        Comparison c = new Comparison(List.of(old), List.of(now), 5);
        assertThat(c.regressions()).isZero();
    }

    @Test
    void throughputWithinTheThresholdIsNotARegressionAndRunsAreMatchedByStrategyAndWorkload() {
        Comparison c = new Comparison(List.of(run("a", 100, 0), run("b", 100, 0)),
                List.of(run("a", 96, 0), run("c", 10, 0)), 5);
        assertThat(c.regressions()).isZero();
        assertThat(c.rows()).hasSize(1);
        assertThat(c.rows().getFirst().opsChange()).isCloseTo(-0.04, org.assertj.core.data.Offset.offset(1e-9));
        java.io.StringWriter s = new java.io.StringWriter();
        c.print(new java.io.PrintWriter(s));
        assertThat(s.toString()).contains("only in OLD: b  random-mixed 1 2 3", "only in NEW: c  random-mixed 1 2 3");
    }

    @Test
    void a_file_from_before_allocator_lifetime_counts_as_a_fresh_allocator_per_repetition() {
        RunResult old = run("s", 100, 0);
        RunResult kept = new RunResult("s", "strategy", "random-mixed", List.of("1", "2", "3"),
                Map.of("allocator.lifetime", "RUN"), 0, new double[] {100}, 1, 1, old.syscalls(), 0, 0, Map.of(), null);
        assertThat(new Comparison(List.of(old), List.of(kept), 5).warnings())
                .anySatisfy(w -> assertThat(w).contains("knob allocator.lifetime REPETITION -> RUN"));
        RunResult fresh = new RunResult("s", "strategy", "random-mixed", List.of("1", "2", "3"),
                Map.of("allocator.lifetime", "REPETITION"), 0, new double[] {100}, 1, 1, old.syscalls(), 0, 0,
                Map.of(), null);
        assertThat(new Comparison(List.of(old), List.of(fresh), 5).warnings()).isEmpty();
    }
}
