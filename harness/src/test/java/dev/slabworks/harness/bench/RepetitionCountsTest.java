package dev.slabworks.harness.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.workload.MtRemote;
import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each repetition keeps its workload's own counts, so a spread of ops/s can be read against them. */
class RepetitionCountsTest {
    private static final Contender DIRECT =
            new Contender("direct-only", Contender.Kind.STRATEGY, "x", DirectOnlyAllocator.FACTORY, null);

    private static List<RunResult> bench(int repetitions, dev.slabworks.harness.workload.Workload w) {
        return new BenchRunner(repetitions, 0, Progress.silent())
                .run(ContenderSetup.plain(List.of(DIRECT), Knobs.defaults(), List.of()), List.of(w));
    }

    @Test
    void every_repetition_keeps_its_own_workload_counts_through_the_results_file(@TempDir Path dir) {
        // a one-slot ring: how many remote decisions fall back depends on each repetition's interleaving
        RunResult r = bench(3, new MtRemote(2, 2000, 64, 16, 2048, 90, 1)).getFirst();
        assertThat(r.repetitions()).hasSize(3).allSatisfy(rep -> {
            assertThat(rep.workloadCounts()).containsKeys("fallbackPct", "longestDrain", "remoteSends");
            assertThat(rep.workloadCounts().get("allocations").longValue()).isPositive();
        });
        assertThat(r.repetitions()).extracting(Repetition::workloadCounts).contains(r.workloadCounts());

        Path json = dir.resolve("r.json");
        ResultsJson.write(json, ResultsJson.document(List.of(r), "test"));
        RunResult back = ResultsJson.read(json).getFirst();
        assertThat(back.repetitions()).extracting(Repetition::workloadCounts)
                .containsExactlyElementsOf(r.repetitions().stream().map(Repetition::workloadCounts).toList());
    }

    @Test
    void membarrier_calls_stay_out_of_the_syscall_totals_and_a_file_without_them_or_counts_still_reads(
            @TempDir Path dir) throws IOException {
        RunResult now = bench(2, new MtRemote(2, 2000, 64, 16, 2048, 90, 1)).getFirst();
        Path json = dir.resolve("edited.json");
        ResultsJson.write(json, ResultsJson.document(List.of(now), "test"));
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(json.toFile());
        ObjectNode run = (ObjectNode) root.path("runs").get(0);
        ((ObjectNode) run.path("syscalls")).putObject("membarrier").put("count", 1000).put("seconds", 0.01);
        for (var rep : run.path("repetitions")) {
            ((ObjectNode) rep).remove("workloadCounts"); // as a file written before repetitions kept them
            ((ObjectNode) rep.path("syscalls")).put("membarrier", 1000);
        }
        mapper.writeValue(json.toFile(), root);

        RunResult read = ResultsJson.read(json).getFirst();
        assertThat(read.syscalls().get("membarrier").count()).isEqualTo(1000);
        assertThat(read.syscallCount()).isEqualTo(now.syscallCount());
        assertThat(read.repetitions()).allSatisfy(rep -> {
            assertThat(rep.workloadCounts()).isEmpty();
            assertThat(rep.syscalls()).containsEntry("membarrier", 1000L);
        });
        assertThat(read.repetitions()).extracting(Repetition::syscallCount)
                .containsExactlyElementsOf(now.repetitions().stream().map(Repetition::syscallCount).toList());
    }

    @Test
    void a_workload_that_counts_nothing_leaves_each_repetitions_counts_empty() {
        RunResult r = bench(2, new RandomMixed(1000, 64, 1, 16, 1024)).getFirst();
        assertThat(r.repetitions()).hasSize(2).allSatisfy(rep -> assertThat(rep.workloadCounts()).isEmpty());
    }
}
