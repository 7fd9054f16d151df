package dev.slabworks.harness.cli;

import dev.slabworks.harness.testing.Cli;
import dev.slabworks.harness.testing.DirectOnlyModule;
import dev.slabworks.api.knobs.Knob;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        List<String> lines = Cli.run("knobs").out().lines().takeWhile(l -> !l.isEmpty()).toList(); // the presets follow
        assertThat(lines).hasSize(Knob.values().length + 1);
        // every column starts where the header's does: KEY, ENVIRONMENT, VALUE, SOURCE, DEFAULT, MEANING
        List<Integer> header = columnStarts(lines.getFirst(), 6);
        assertThat(header.get(1)).isGreaterThan(Arrays.stream(Knob.values()).mapToInt(k -> k.key().length()).max().orElseThrow());
        for (String line : lines) {
            assertThat(columnStarts(line, 6)).as(line).isEqualTo(header);
        }
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
