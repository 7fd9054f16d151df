package dev.slabworks.harness.cli;

import dev.slabworks.harness.testing.Cli;
import dev.slabworks.harness.testing.DirectOnlyModule;
import org.junit.jupiter.api.Test;

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
}
