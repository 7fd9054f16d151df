package dev.slabworks.harness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.OutOfNativeMemoryError;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import dev.slabworks.harness.report.HtmlReport;
import dev.slabworks.harness.report.SideBySideTable;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.workload.RandomMixed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FailedRunTest {
    /** A strategy whose allocators run out of memory after a few blocks. */
    static final AllocatorFactory FAILING = new AllocatorFactory() {
        @Override
        public String name() {
            return "fails";
        }

        @Override
        public String description() {
            return "runs out of memory";
        }

        @Override
        public Allocator create(Knobs knobs) {
            DirectOnlyAllocator real = new DirectOnlyAllocator(knobs);
            return new dev.slabworks.harness.testing.CountingAllocator(real) {
                @Override
                public long allocate(long size) {
                    if (allocations == 10) {
                        throw new OutOfNativeMemoryError("no more room after 10 blocks");
                    }
                    return super.allocate(size);
                }
            };
        }
    };

    @Test
    void aFailingStrategyIsReportedAsFailedAndTheOthersStillRun(@TempDir Path dir) throws IOException {
        Contender fails = new Contender("fails", Contender.Kind.STRATEGY, "x", FAILING, null);
        Contender direct = new Contender("direct-only", Contender.Kind.STRATEGY, "x", DirectOnlyAllocator.FACTORY, null);
        List<RunResult> results = new BenchRunner(2, 0, Progress.silent())
                .run(ContenderSetup.plain(List.of(fails, direct), Knobs.defaults(), List.of()),
                        List.of(new RandomMixed(1000, 64, 1, 16, 1024)));
        assertThat(results.get(0).failed()).isTrue();
        assertThat(results.get(0).error()).isEqualTo("OutOfNativeMemoryError: no more room after 10 blocks");
        assertThat(results.get(1).failed()).isFalse();

        StringWriter table = new StringWriter();
        SideBySideTable.print(results, new PrintWriter(table), 25);
        assertThat(table.toString()).contains("fails            strategy  FAILED: OutOfNativeMemoryError");

        Path json = dir.resolve("f.json");
        ResultsJson.write(json, ResultsJson.document(results, "test"));
        JsonNode run = new ObjectMapper().readTree(json.toFile()).path("runs").get(0);
        assertThat(run.path("error").asText()).contains("no more room");
        assertThat(ResultsJson.read(json).get(0).error()).contains("no more room");
        assertThat(Files.readString(HtmlReport.write(json, results, ResultsJson.header("test", null))))
                .contains("failed: OutOfNativeMemoryError");
    }
}
