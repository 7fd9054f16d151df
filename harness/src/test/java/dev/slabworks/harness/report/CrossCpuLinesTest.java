package dev.slabworks.harness.report;

import dev.slabworks.harness.bench.MemoryFigures;
import dev.slabworks.harness.bench.Repetition;
import dev.slabworks.harness.bench.RunResult;
import dev.slabworks.harness.bench.Variant;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the table says of the host's cross-CPU round trip, per JVM and over a workload. */
class CrossCpuLinesTest {
    /** A contender run in {@code probes.length} JVMs of two repetitions each, probed as given (NaN: not probed). */
    private static RunResult forked(String strategy, double[][] probes) {
        List<Repetition> reps = new ArrayList<>();
        double[] medians = new double[probes.length];
        for (int j = 0; j < probes.length; j++) {
            medians[j] = 10e6 + j;
            for (double p : probes[j]) {
                reps.add(new Repetition(medians[j], null, MemoryFigures.UNKNOWN, Map.of(), p));
            }
        }
        double[] ops = reps.stream().mapToDouble(Repetition::opsPerSec).toArray();
        return new RunResult(strategy, "strategy", "mt-remote", List.of("2"), Map.of(), 0, ops, 1, 1, null, 0, 0,
                Map.of(), null, medians, Map.of(), MemoryFigures.NONE, Variant.of(strategy), reps);
    }

    @Test
    void each_jvm_gets_the_median_of_its_own_repetitions_probes() {
        RunResult r = forked("mimalloc-like", new double[][] {{66, 70}, {330, 340}, {64, 68}});
        assertThat(CrossCpuLines.perJvm(r)).containsExactly(68, 335, 66);
        assertThat(CrossCpuLines.jvmSuffix(r)).isEqualTo(" (cross-CPU round trip 68 335 66 ns)");
    }

    @Test
    void a_round_trip_that_moved_twofold_over_the_workload_is_a_warning_and_a_steady_one_is_not() {
        List<RunResult> moved = List.of(forked("a", new double[][] {{66, 70}, {64, 68}}),
                forked("b", new double[][] {{330, 340}, {66, 67}}));
        assertThat(CrossCpuLines.changeWarning(moved)).startsWith(
                "warning: the host's cross-CPU round trip moved from 64 to 340 ns (5.3x) while this workload ran");
        assertThat(CrossCpuLines.hostLine(moved)).isEqualTo(
                "host: cross-CPU round trip 64-340 ns (median 68) before this workload's repetitions "
                        + "(knob bench.cpu.probe)");

        List<RunResult> steady = List.of(forked("a", new double[][] {{66, 70}, {64, 68}}),
                forked("b", new double[][] {{100, 120}, {80, 127}}));
        assertThat(CrossCpuLines.changeWarning(steady)).isNull();
        assertThat(CrossCpuLines.hostLine(steady)).startsWith("host: cross-CPU round trip 64-127 ns");
    }

    @Test
    void runs_without_probes_print_no_host_line_no_warning_and_no_jvm_figures() {
        double nan = Double.NaN;
        RunResult none = forked("a", new double[][] {{nan, nan}, {nan, nan}});
        assertThat(CrossCpuLines.hostLine(List.of(none))).isNull();
        assertThat(CrossCpuLines.changeWarning(List.of(none))).isNull();
        assertThat(CrossCpuLines.jvmSuffix(none)).isEmpty();
        RunResult oneJvmUnprobed = forked("b", new double[][] {{66, 67}, {nan, nan}});
        assertThat(CrossCpuLines.perJvm(oneJvmUnprobed)).as("no figure rather than a partial one").isEmpty();
    }

    @Test
    void the_table_prints_the_host_line_and_the_warning_under_the_jvm_medians() {
        List<RunResult> rows = List.of(forked("a", new double[][] {{66, 70}, {330, 340}}));
        String out = SideBySideTableTest.table(rows, 1000);
        List<String> lines = Arrays.asList(out.split("\n"));
        int jvm = lines.indexOf(lines.stream().filter(l -> l.contains("JVM medians")).findFirst().orElseThrow());
        assertThat(lines.get(jvm)).endsWith("(cross-CPU round trip 68 335 ns)");
        assertThat(lines.get(jvm + 1)).startsWith("host: cross-CPU round trip 66-340 ns");
        assertThat(lines.get(jvm + 2)).startsWith("warning: the host's cross-CPU round trip moved from 66 to 340 ns");
    }

    @Test
    void compare_warns_when_two_files_ran_in_different_host_states_and_not_when_in_one() {
        List<RunResult> fast = List.of(forked("a", new double[][] {{66, 70}, {64, 68}}));
        List<RunResult> slow = List.of(forked("a", new double[][] {{330, 340}, {325, 66}}));
        List<RunResult> alsoFast = List.of(forked("a", new double[][] {{80, 90}, {62, 75}}));
        assertThat(new Comparison(fast, slow, 5).warnings()).contains("the files ran in different host states: a "
                + "cross-CPU round trip of 67 ns (OLD) and 328 ns (NEW), medians; multi-thread figures move with it "
                + "(DESIGN §19, \"Slow periods\")");
        assertThat(new Comparison(fast, alsoFast, 5).warnings()).noneMatch(w -> w.contains("host states"));
        double nan = Double.NaN;
        List<RunResult> unprobed = List.of(forked("a", new double[][] {{nan, nan}, {nan, nan}}));
        assertThat(CrossCpuLines.betweenFiles(unprobed, slow)).as("a file written before the probe").isNull();
    }

    /** A contender run in this JVM whose repetitions read {@code ops} after probes of {@code nanos}. */
    private static RunResult probed(String strategy, double[] ops, double[] nanos) {
        List<Repetition> reps = new ArrayList<>();
        for (int i = 0; i < ops.length; i++) {
            reps.add(new Repetition(ops[i], null, MemoryFigures.UNKNOWN, Map.of(), nanos[i]));
        }
        return new RunResult(strategy, "strategy", "mt-remote", List.of("2"), Map.of(), 0, ops, 1, 1, null, 0, 0,
                Map.of(), null, new double[0], Map.of(), MemoryFigures.NONE, Variant.of(strategy), reps);
    }

    @Test
    void probes_fall_into_states_wherever_one_is_more_than_one_and_a_half_times_its_states_lowest() {
        assertThat(CrossCpuLines.states(new double[] {330, 64, 29, 70, 340, 28, 95}))
                .containsExactly(new double[] {28, 29}, new double[] {64, 95}, new double[] {330, 340});
        assertThat(CrossCpuLines.states(new double[] {64, 70, 80})).containsExactly(new double[] {64, 80});
        assertThat(CrossCpuLines.states(new double[] {60, 85, 120, 170, 240, 340})).as("a slow drift is no one state")
                .containsExactly(new double[] {60, 85}, new double[] {120, 170}, new double[] {240, 340});
    }

    @Test
    void when_the_host_moved_each_contender_is_also_read_within_each_state_alone() {
        List<RunResult> rows = List.of(
                probed("mimalloc-like", new double[] {60e6, 30e6, 64e6, 28e6, 62e6},
                        new double[] {64, 330, 70, 340, 66}),
                probed("glibc", new double[] {10e6, 9e6, 12e6}, new double[] {80, 320, 95}));
        assertThat(CrossCpuLines.byState(rows, 13)).containsExactly(
                "repetitions probed at 64-95 ns only:",
                "  mimalloc-like     62.00M  3 of 5 repetitions  5.64x vs glibc",
                "  glibc             11.00M  2 of 3 repetitions  1.00x vs glibc",
                "repetitions probed at 320-340 ns only:",
                "  mimalloc-like     29.00M  2 of 5 repetitions  3.22x vs glibc",
                "  glibc              9.00M  1 of 3 repetitions  1.00x vs glibc");
        List<RunResult> steady = List.of(probed("glibc", new double[] {10e6, 9e6}, new double[] {64, 70}));
        assertThat(CrossCpuLines.byState(steady, 13)).as("one state: nothing to split").isEmpty();
    }

    @Test
    void without_glibc_the_states_give_no_ratio_and_a_one_value_state_names_one_value() {
        List<RunResult> rows = List.of(probed("superslab", new double[] {40e6, 20e6, 42e6}, new double[] {64, 330, 66}));
        assertThat(CrossCpuLines.byState(rows, 9)).containsExactly(
                "repetitions probed at 64-66 ns only:",
                "  superslab     41.00M  2 of 3 repetitions",
                "repetitions probed at 330 ns only:",
                "  superslab     20.00M  1 of 3 repetitions");
    }
}
