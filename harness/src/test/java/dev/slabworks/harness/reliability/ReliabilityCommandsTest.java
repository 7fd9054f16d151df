package dev.slabworks.harness.reliability;

import com.google.inject.Injector;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code hostile}, {@code stress} and {@code race} commands: their tables, and their exit codes on a pass and on a failure. */
class ReliabilityCommandsTest {
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static final Supplier<Injector> WITH_BROKEN = TestStrategies::withBroken;

    @Test
    void hostile_passes_a_correct_allocator_in_every_mode_and_prints_a_row_per_mode() {
        Run r = run(new HostileCommand(WITH_BROKEN), "--in-process", "--strategy", "direct-only", "--frees", "3000", "--live", "50");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("FOREIGN", "INTERIOR", "DOUBLE", "ACCEPTED", "CORRUPTED")
                .contains("direct-only      REGISTRY").contains("direct-only      MINCORE_CACHED")
                .contains("campaigns 3, failed 0, JVM crashes 0: PASS");
        // the header's abbreviations explained under the table, and a progress line per campaign while it runs
        assertThat(r.out()).contains("ACCEPTED: invalid frees not rejected; WRONG: rejected with the wrong kind",
                "FALSE: valid frees rejected", "CORRUPTED: live blocks whose contents changed");
        assertThat(r.err().lines().map(l -> l.replaceFirst(", (~\\S+|<1s) left$", ""))).containsExactly(
                "[1/3] hostile direct-only REGISTRY: 3000 invalid frees",
                "[2/3] hostile direct-only MINCORE: 3000 invalid frees",
                "[3/3] hostile direct-only MINCORE_CACHED: 3000 invalid frees");
    }

    @Test
    void hostile_exits_non_zero_and_names_the_failure_for_a_broken_allocator() {
        Run r = run(new HostileCommand(WITH_BROKEN), "--in-process", "--strategy", BrokenAllocators.ACCEPTS_DOUBLE_FREE,
                "--mode", "REGISTRY", "--frees", "2000", "--live", "50");
        assertThat(r.exitCode()).isEqualTo(1);
        // a freed direct block stays mapped in the cache, so a stale free of one is a double free too
        assertThat(r.out()).containsPattern("FAILURE: (DOUBLE|STALE_UNMAPPED) free\\(").contains("was accepted")
                .contains(": FAIL");
    }

    @Test
    void hostile_names_the_strategies_found_when_asked_for_an_unknown_one() {
        Run r = run(new HostileCommand(WITH_BROKEN), "--in-process", "--strategy", "no-such-thing");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("no strategy named 'no-such-thing'").contains("direct-only");
    }

    @Test
    void stress_passes_a_correct_allocator_and_fails_a_broken_one() {
        Run ok = run(new StressCommand(WITH_BROKEN), "--strategy", "direct-only", "--threads", "3", "--blocks", "1000");
        assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("direct-only").contains("runs 1, failed 0: PASS");

        Run bad = run(new StressCommand(WITH_BROKEN), "--strategy", BrokenAllocators.LOSES_FREES, "--threads", "2", "--blocks", "1000");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.out()).contains("FAILURE: stats say");
    }

    @Test
    void race_passes_a_strategy_and_prints_a_row_per_scenario_with_its_legend() {
        Run r = run(new RaceCommand(WITH_BROKEN), "--in-process", "--strategy", "superslab", "--mode", "REGISTRY",
                "--rounds", "2000");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("owner-vs-remote", "remote-vs-remote", "trim-vs-free", "close-vs-use", "use-after-close")
                .contains("BOTH: rounds in which two racing frees of one block both succeeded")
                .contains("campaigns 1, failed 0, JVM crashes 0: PASS");
        assertThat(r.err().lines().map(l -> l.replaceFirst(", (~\\S+|<1s) left$", "")))
                .containsExactly("[1/1] race superslab REGISTRY: 2000 rounds of each double-free race");
    }

    @Test
    void race_fails_an_allocator_that_lets_two_frees_of_one_block_succeed() {
        // owner-vs-remote only: its close and reallocate are not safe against racing calls, so close-vs-use
        // would crash this JVM (which is what the command's child JVMs are for)
        Run r = run(new RaceCommand(WITH_BROKEN), "--in-process", "--strategy", BrokenAllocators.ACCEPTS_DOUBLE_FREE,
                "--mode", "REGISTRY", "--rounds", "500", "--scenario", "owner-vs-remote");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("frees of 0x").contains("succeeded").contains(": FAIL");
    }

    @Test
    void race_refuses_a_round_count_below_one_and_an_unknown_scenario() {
        Run r = run(new RaceCommand(WITH_BROKEN), "--in-process", "--rounds", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--rounds");
        Run s = run(new RaceCommand(WITH_BROKEN), "--in-process", "--scenario", "nosuch");
        assertThat(s.exitCode()).isEqualTo(2);
        assertThat(s.err()).contains("no scenario 'nosuch'; scenarios: owner-vs-remote");
    }
}
