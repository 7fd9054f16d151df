package dev.slabworks.harness.cli;

import dev.slabworks.harness.bench.ResultsJson;
import dev.slabworks.harness.bench.RunResult;
import dev.slabworks.harness.bench.SyscallCauses;
import dev.slabworks.harness.testing.Cli;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed report's run under the seed preset: the team's loop makes 1,590 allocations of 1024..1039 bytes
 * ({@code HakmemRandomMixedTest} pins the count), each of which takes the mid path, is mapped, checked with
 * {@code mincore}, advised and unmapped on its own; profile attributes each call to its cause.
 */
class SeedPresetProfileTest {
    private static final long MID_BLOCKS = 1_590;

    @ParameterizedTest
    @ValueSource(strings = {"superslab", "shared-pool"})
    void every_mid_block_costs_one_mmap_munmap_madvise_and_mincore_each_attributed_to_its_cause(String strategy,
                                                                                                 @TempDir Path dir) {
        Path json = dir.resolve("seed.json");
        Cli r = Cli.run("profile", "--preset", "seed", "--strategy", strategy, "--reps", "1", "--warmup", "0",
                "--json", json.toString(), "hakmem-random-mixed", "200000", "4096", "1234567");
        assertThat(r.exit()).as(r.err()).isZero();
        RunResult run = ResultsJson.read(json).getFirst();
        assertThat(run.workloadCounts().get("prefaultAllocations").longValue()).isZero();
        SyscallCauses c = run.syscallsByCause();
        assertThat(c.rows().get("mid")).extracting(SyscallCauses.Row::mmap, SyscallCauses.Row::munmap,
                SyscallCauses.Row::madvise, SyscallCauses.Row::mincore).containsExactly(MID_BLOCKS, MID_BLOCKS, MID_BLOCKS, 0L);
        assertThat(c.rows().get("validation").mincore()).isEqualTo(MID_BLOCKS);
        assertThat(run.stat("mid_allocations")).isEqualTo(MID_BLOCKS);
        assertThat(c.total().mmap()).isEqualTo(run.syscalls().get("mmap").count());
        assertThat(c.total().munmap()).isEqualTo(run.syscalls().get("munmap").count());
        assertThat(c.rows().get("superslab_map").mmap()).isPositive();
        assertThat(r.out()).containsPattern("(?m)^  mid\\s+1,590\\s+1,590\\s+1,590\\s+0\\s")
                .containsPattern("(?m)^  validation\\s+0\\s+0\\s+0\\s+1,590\\s")
                .contains("Mid path       allocations 1,590 (above small.max 1023, as BLOCK; mid.validation MINCORE)");
        if (strategy.equals("shared-pool")) {
            assertThat(r.out()).containsPattern("SP-SLOT        slabs \\d+: from an EMPTY slot of their class \\d+");
            assertThat(run.stat("slots_from_empty") + run.stat("slots_from_unused") + run.stat("slots_from_new_superslab"))
                    .isEqualTo(run.stat("slabs_assigned"));
        }
    }
}
