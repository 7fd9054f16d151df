package dev.slabworks.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slabworks.harness.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultRunTest {
    @Test
    void theDefaultRunIsTheSeedsOwnBenchmarkThenAnchorCEachUnderItsName(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("default.json");
        Cli r = Cli.run("--strategy", "glibc", "--reps", "1", "--warmup", "0", "--json", json.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String out = r.out();
        int seedLabel = out.indexOf("The seed benchmark: the allocator team's bench_random_mixed, op for op");
        int seedTable = out.indexOf("hakmem-random-mixed 200000 4096 1234567 16 1039");
        int anchorLabel = out.indexOf("Anchor (c): random-mixed");
        int anchorTable = out.indexOf("random-mixed 20000000 4096 1234567 16 1024");
        assertThat(seedLabel).isNotNegative();
        assertThat(seedLabel).isLessThan(seedTable);
        assertThat(seedTable).isLessThan(anchorLabel);
        assertThat(anchorLabel).isLessThan(anchorTable);
        JsonNode runs = new ObjectMapper().readTree(json.toFile()).path("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).path("workload").asText()).isEqualTo("hakmem-random-mixed");
        // the C default: a prefault of CYCLES / 10 before the loop
        assertThat(runs.get(0).path("workloadCounts").path("prefaultAllocations").asLong()).isEqualTo(11_046);
        assertThat(runs.get(1).path("workload").asText()).isEqualTo("random-mixed");
    }
}
