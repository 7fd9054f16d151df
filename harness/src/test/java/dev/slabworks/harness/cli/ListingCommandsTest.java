package dev.slabworks.harness.cli;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.harness.testing.Cli;
import dev.slabworks.harness.testing.DirectOnlyModule;
import dev.slabworks.harness.wiring.Strategies;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ListingCommandsTest {
    @Test
    void strategiesListsTheGuiceStrategiesAndEveryBaselineWithItsStatus() {
        Cli r = Cli.run("strategies");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("direct-only\\s+strategy\\s+available")
                .containsPattern("glibc\\s+baseline\\s+available")
                .containsPattern("jemalloc\\s+baseline\\s+(available|not installed|not loadable)")
                .contains("mimalloc", "tcmalloc");
        assertThat(r.out()).contains(DirectOnlyModule.NAME);
    }

    @Test
    void knobsPrintsTheTableWithCommandLineValues() {
        Cli r = Cli.run("knobs", "--set", "regression.threshold=7.5");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("regression.threshold\\s+SLABWORKS_REGRESSION_THRESHOLD\\s+7.5\\s+command_line");
    }

    @Test
    void theKnobsTableAlignsItsColumnsWhateverTheLengthOfTheNames() {
        List<String> lines = Cli.run("knobs").out().lines().toList();
        List<Knob> all = Strategies.resolveKnobs(Map.of()).registry().all();
        assertThat(lines).hasSize(all.size() + 1);
        // every column starts where the header's does: KEY, ENVIRONMENT, VALUE, SOURCE, DEFAULT, DECLARER, MEANING
        List<Integer> header = columnStarts(lines.getFirst(), 7);
        assertThat(header.get(1)).isGreaterThan(all.stream().mapToInt(k -> k.key().length()).max().orElseThrow());
        for (String line : lines) {
            assertThat(columnStarts(line, 7)).as(line).isEqualTo(header);
        }
    }

    @Test
    void theKnobsTableListsEachStrategysOwnKnobsWithWhoDeclaresThem() {
        Cli r = Cli.run("knobs", "--set", "page.size=128K");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("page.size\\s+SLABWORKS_PAGE_SIZE\\s+131072\\s+command_line\\s+64KiB\\s+mimalloc-like\\s");
        assertThat(r.out()).containsPattern("slab.size\\s.*\\sshared-pool\\s");
        assertThat(r.out()).containsPattern("fc.cap\\s.*\\sapi\\s");
        assertThat(r.out()).containsPattern("memory.sample.ms\\s.*\\sharness\\s");
    }

    /** Where the first {@code n} space-separated words of {@code line} start. */
    private static List<Integer> columnStarts(String line, int n) {
        List<Integer> starts = new ArrayList<>();
        Matcher word = Pattern.compile("\\S+").matcher(line);
        while (starts.size() < n && word.find()) {
            starts.add(word.start());
        }
        return starts;
    }
}
