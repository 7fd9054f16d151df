package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.RunResult;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SideBySideTableTest {
    static RunResult run(String strategy, String kind, List<String> args, double... opsPerSec) {
        return new RunResult(strategy, kind, "random-mixed", args, Map.of(), 0, opsPerSec, 1, 1, null, 0, 0, Map.of(), null);
    }

    static String table(List<RunResult> runs, double spreadWarning) {
        StringWriter s = new StringWriter();
        SideBySideTable.print(runs, new PrintWriter(s), spreadWarning);
        return s.toString();
    }

    @Test
    void theTablesEndWithALegendOfTheSpreadTheRatioAndTheSyscallColumns() {
        String out = table(List.of(run("glibc", "baseline", List.of("1")), run("glibc", "baseline", List.of("2"), 10)), 25);
        assertThat(out.lines().filter(l -> l.startsWith("SPREAD = (max - min) / median"))).hasSize(1);
        assertThat(out).contains("vs GLIBC = OPS/S over glibc's OPS/S in this run",
                "MMAP, MUNMAP, MADVISE, MINCORE = the strategy's calls in its median repetition: a whole run on a fresh "
                        + "allocator (setup, loop and final frees; close() not included), or with allocator.lifetime RUN");
        assertThat(out.strip()).endsWith("'n/a' where unknown; '≥', '≤', '≈' mark a library's bound or estimate.");
    }

    @Test
    void jvmMediansComeWithTheirPermutationPAndItsLegendOnlyWithForks() {
        RunResult forked = RunResult.pooled(List.of(run("glibc", "baseline", List.of("1"), 20.0, 20.1, 20.2, 20.3, 20.4),
                run("glibc", "baseline", List.of("1"), 20.1, 20.2, 20.3, 20.4, 20.5),
                run("glibc", "baseline", List.of("1"), 16.0, 16.1, 16.2, 16.3, 16.4)));
        String out = table(List.of(forked), 25);
        assertThat(out).containsPattern("glibc +JVM medians: 20 20 16 \\(spread 20%, p 0\\.0\\d\\)")
                .contains(SideBySideTable.JVM_LEGEND);
        assertThat(table(List.of(run("glibc", "baseline", List.of("1"), 10, 11)), 25)).doesNotContain("JVM medians");
    }

    @Test
    void oneRepetitionIsSingular() {
        assertThat(table(List.of(run("glibc", "baseline", List.of("1"), 10)), 25)).contains("(median of 1 repetition)");
        assertThat(table(List.of(run("glibc", "baseline", List.of("1"), 10, 11)), 25)).contains("(median of 2 repetitions)");
    }

    static RunResult forked(String strategy, double... jvmMedians) {
        return new RunResult(strategy, "strategy", "remote-free", List.of("2"), Map.of(), 0, jvmMedians, 1, 1, null, 0, 0,
                Map.of(), null, jvmMedians, Map.of(), dev.slabworks.harness.bench.MemoryFigures.NONE);
    }

    @Test
    void aJvmTurnInWhichTwoContendersReadFarBelowTheirMedianIsNamedAsAPossibleSlowPeriod() {
        List<RunResult> rows = List.of(forked("superslab", 28.4e6, 13.4e6, 28.4e6), forked("shared-pool", 32.6e6, 10.2e6, 32.4e6),
                forked("glibc", 24.8e6, 19.5e6, 19.2e6), forked("mimalloc", 31.7e6, 30.9e6, 10.8e6));
        assertThat(SideBySideTable.slowTurnWarnings(rows)).singleElement().asString()
                .startsWith("warning: in JVM turn 2, 2 of 4 contenders read 75 % of their median or less (superslab "
                        + "13.40M against 28.40M, shared-pool 10.20M against 32.40M)");
        assertThat(table(rows, 1000)).contains("warning: in JVM turn 2");
        assertThat(SideBySideTable.slowTurnWarnings(List.of(forked("superslab", 28e6, 13e6, 28e6),
                forked("glibc", 25e6, 24e6, 25e6)))).as("one slow contender is its own business").isEmpty();
        assertThat(SideBySideTable.slowTurnWarnings(List.of(forked("a", 28e6, 13e6), forked("b", 28e6, 13e6))))
                .as("two JVMs have no median to fall below").isEmpty();
    }

    @Test
    void aSpreadAboveTheThresholdIsNamedWithWhatToDo() {
        List<RunResult> rows = List.of(run("glibc", "baseline", List.of("1"), 100, 104, 200),
                run("superslab", "strategy", List.of("1"), 100, 101, 102), run("mimalloc", "baseline", List.of("1"), 50, 60, 80));
        String out = table(rows, 25);
        assertThat(out.lines().filter(l -> l.startsWith("warning:")).toList()).containsExactly(
                "warning: spread above 25% (knob spread.warning) for glibc 96%, mimalloc 50%: too noisy to compare "
                        + "closely; run with --forks 3, more --reps, or on an idle machine.");
        assertThat(table(rows, 100)).doesNotContain("warning:");
        assertThat(SideBySideTable.noiseWarning(List.of(run("glibc", "baseline", List.of("1"), 100)), 0))
                .as("one repetition has no spread to judge").isNull();
    }
}
