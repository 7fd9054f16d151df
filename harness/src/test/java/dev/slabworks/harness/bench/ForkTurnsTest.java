package dev.slabworks.harness.bench;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.harness.workload.Workload;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --forks}: the contenders take turns, one JVM each, so a slow stretch of the machine falls on several alike. */
class ForkTurnsTest {
    private static final Workload W = new RandomMixed(1000, 64, 1, 16, 1024);
    private static final List<ContenderSetup> SETUPS = ContenderSetup.plain(List.of(
            new Contender("a", Contender.Kind.STRATEGY, "x", DirectOnlyAllocator.FACTORY, null),
            new Contender("b", Contender.Kind.STRATEGY, "x", DirectOnlyAllocator.FACTORY, null)), Knobs.defaults(), List.of());

    /** A child "JVM" that runs here, recording whose turn it was. */
    private static RunResult runHere(ContenderSetup s, Workload w) {
        return new BenchRunner(2, 0, Progress.silent()).run(List.of(s), List.of(w)).getFirst();
    }

    @Test
    void the_contenders_take_turns_and_each_result_pools_its_own_jvms() {
        List<String> turns = new ArrayList<>();
        List<RunResult> results = new ForkedBench(3, 2, 0, Progress.silent(), (s, w) -> {
            turns.add(s.label());
            return runHere(s, w);
        }).run(SETUPS, List.of(W));

        assertThat(turns).containsExactly("a", "b", "a", "b", "a", "b");
        assertThat(results).extracting(RunResult::strategy).containsExactly("a", "b");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.forkMedians()).hasSize(3);
            assertThat(r.opsPerSec()).hasSize(6);
        });
    }

    @Test
    void a_contender_whose_jvm_failed_gets_no_more_turns_and_the_others_keep_theirs() {
        List<String> turns = new ArrayList<>();
        List<RunResult> results = new ForkedBench(3, 2, 0, Progress.silent(), (s, w) -> {
            turns.add(s.label());
            return s.label().equals("a")
                    ? BenchRunner.failed(s.contender(), w, s.knobs(), 0, "child JVM exited with code 134")
                    : runHere(s, w);
        }).run(SETUPS, List.of(W));

        assertThat(turns).containsExactly("a", "b", "b", "b");
        assertThat(results.get(0).error()).contains("code 134");
        assertThat(results.get(1).failed()).isFalse();
        assertThat(results.get(1).forkMedians()).hasSize(3);
    }

    @Test
    void a_contender_whose_second_jvm_failed_fails_and_gets_no_third_turn() {
        List<String> turns = new ArrayList<>();
        List<RunResult> results = new ForkedBench(3, 2, 0, Progress.silent(), (s, w) -> {
            turns.add(s.label());
            boolean fail = s.label().equals("b") && turns.stream().filter("b"::equals).count() == 2;
            return fail ? BenchRunner.failed(s.contender(), w, s.knobs(), 0, "no results") : runHere(s, w);
        }).run(SETUPS, List.of(W));

        assertThat(turns).containsExactly("a", "b", "a", "b", "a");
        assertThat(results.get(0).forkMedians()).hasSize(3);
        assertThat(results.get(1).error()).isEqualTo("no results");
    }
}
