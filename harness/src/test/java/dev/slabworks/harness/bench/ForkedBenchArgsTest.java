package dev.slabworks.harness.bench;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.knobs.Preset;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.workload.Workloads;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ForkedBenchArgsTest {
    @Test
    void a_child_gets_the_preset_and_the_sets_as_given_the_sets_after_the_preset() {
        ForkedBench forked = new ForkedBench(Knobs.defaults(Preset.SEED), "seed", List.of("fc.cap=8"), 1, 1, 0,
                Progress.silent());
        Contender c = new Contender("superslab", Contender.Kind.STRATEGY, "", null, null);
        List<String> args = forked.childArgs(c, Workloads.parse(List.of("random-mixed", "100", "8", "1")), Path.of("f.json"));
        assertThat(args).containsSubsequence("bench", "--strategy", "superslab", "--preset", "seed", "--set", "fc.cap=8",
                "random-mixed", "100", "8", "1");
        ForkedBench plain = new ForkedBench(Knobs.defaults(), null, List.of(), 1, 1, 0, Progress.silent());
        assertThat(plain.childArgs(c, Workloads.parse(List.of("random-mixed", "100", "8", "1")), Path.of("f.json")))
                .doesNotContain("--preset");
    }
}
