package dev.slabworks.benchmarks;

import dev.slabworks.harness.wiring.Contender;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SuiteTest {
    private static final Contender STRATEGY = new Contender("slabby", Contender.Kind.STRATEGY, "a strategy",
            NoAllocation.FACTORY, null);
    private static final Contender GLIBC = new Contender("glibc", Contender.Kind.BASELINE, "glibc",
            NoAllocation.FACTORY, null);
    private static final Contender MISSING = new Contender("jemalloc", Contender.Kind.BASELINE, "jemalloc", null,
            "not installed (apt-get install libjemalloc2 provides libjemalloc.so.2)");
    private static final List<Contender> WIRED = List.of(STRATEGY, GLIBC, MISSING);

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void byDefaultEveryContenderThatCanRunAndTheCeilingRun() {
        assertThat(Suite.runnable(null, WIRED, err)).containsExactly("slabby", "glibc", "none");
    }

    @Test
    void aBaselineThatCannotRunIsSkippedWithOneLineSayingWhy() {
        assertThat(Suite.runnable(List.of("jemalloc", "glibc"), WIRED, err)).containsExactly("glibc");
        assertThat(errBytes.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("slabworks jmh: skipping baseline 'jemalloc': not installed (apt-get install libjemalloc2 provides libjemalloc.so.2)");
    }

    @Test
    void anUnknownNameIsAnErrorListingWhatIsAccepted() {
        assertThatThrownBy(() -> Suite.runnable(List.of("glibc", "slabbie"), WIRED, err))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown strategy 'slabbie'; accepted: slabby, glibc, jemalloc, none");
    }

    @Test
    void nothingLeftToRunIsAnError() {
        assertThatThrownBy(() -> Suite.runnable(List.of("jemalloc"), WIRED, err))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nothing to run");
    }

    @Test
    void knobSetsAreSemicolonSeparatedPairs() {
        assertThat(Suite.knobs(" validation=MINCORE ; stats=false;")).containsExactly(
                java.util.Map.entry("validation", "MINCORE"), java.util.Map.entry("stats", "false"));
        assertThat(Suite.knobs("")).isEmpty();
        assertThatThrownBy(() -> Suite.knobs("validation")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEY=VALUE");
    }

    @Test
    void duplicateNamesRunOnce() {
        assertThat(Suite.runnable(List.of("glibc", "none", "glibc"), WIRED, err)).containsExactly("glibc", "none");
    }
}
