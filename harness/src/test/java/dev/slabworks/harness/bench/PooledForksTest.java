package dev.slabworks.harness.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RunResult#pooled}: the repetitions of a contender's JVMs as one result. */
class PooledForksTest {
    private static RunResult fork(long mmaps, double... opsPerSec) {
        return new RunResult("superslab", "strategy", "random-mixed", List.of("1", "2", "3"), Map.of("fc.cap", "256"), 1,
                opsPerSec, 1000, 0.5, Map.of("mmap", new RunResult.Syscall(mmaps, 0.001)), 7, 0,
                Map.of("SYSCALL_MMAP", mmaps), null);
    }

    @Test
    void theMedianIsTakenOverTheRepetitionsOfEveryJvm() {
        RunResult pooled = RunResult.pooled(List.of(fork(1, 10, 11, 12), fork(2, 20, 21, 22), fork(3, 30, 31, 32)));
        assertThat(pooled.opsPerSec()).containsExactly(10, 11, 12, 20, 21, 22, 30, 31, 32);
        assertThat(pooled.opsPerSecMedian()).isEqualTo(21);
        assertThat(pooled.forkMedians()).containsExactly(11, 21, 31);
        assertThat(pooled.forkSpread()).isEqualTo((31 - 11) / 21.0);
        assertThat(pooled.failed()).isFalse();
    }

    @Test
    void theCountsAreThoseOfTheJvmWhoseMedianIsTheMiddleOne() {
        RunResult pooled = RunResult.pooled(List.of(fork(3, 30), fork(1, 10), fork(2, 20)));
        assertThat(pooled.syscalls().get("mmap").count()).isEqualTo(2);
        assertThat(pooled.stat("SYSCALL_MMAP")).isEqualTo(2);
        // an even count takes the lower middle one, as a repetition's counts are chosen in one JVM
        assertThat(RunResult.pooled(List.of(fork(4, 40), fork(1, 10), fork(3, 30), fork(2, 20))).stat("SYSCALL_MMAP"))
                .isEqualTo(2);
    }

    @Test
    void aFailedJvmFailsTheWhole() {
        RunResult failed = new RunResult("superslab", "strategy", "random-mixed", List.of(), Map.of(), 1, new double[0],
                0, 0, null, 0, 0, Map.of(), "child JVM exited with code 134");
        RunResult pooled = RunResult.pooled(List.of(fork(1, 10), failed));
        assertThat(pooled.failed()).isTrue();
        assertThat(pooled.error()).contains("134");
        assertThatThrownBy(() -> RunResult.pooled(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRunInOneJvmHasNoForkMedians() {
        assertThat(fork(1, 10, 11).forkMedians()).isEmpty();
        assertThat(fork(1, 10, 11).forkSpread()).isZero();
    }

    @Test
    void theJvmsMediansSurviveAResultsFile(@TempDir Path dir) {
        RunResult pooled = RunResult.pooled(List.of(fork(1, 10, 11), fork(2, 20, 21)));
        Path json = dir.resolve("r.json");
        ResultsJson.write(json, ResultsJson.document(List.of(pooled, fork(1, 5)), "slabworks bench --forks 2"));
        List<RunResult> read = ResultsJson.read(json);
        assertThat(read.get(0).forkMedians()).containsExactly(10.5, 20.5);
        assertThat(read.get(0).opsPerSec()).containsExactly(10, 11, 20, 21);
        assertThat(read.get(1).forkMedians()).isEmpty();
    }
}
