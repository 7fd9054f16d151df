package dev.slabworks.benchmarks;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.KnobException;
import dev.slabworks.api.knobs.KnobSource;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.wiring.Strategies;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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
    void theSetParamIsSemicolonSeparatedPairsAndBlankPairsAreSkipped() {
        assertThat(Suite.knobs(" validation=MINCORE ; stats=false;")).containsExactly(
                Map.entry("validation", "MINCORE"), Map.entry("stats", "false"));
        assertThat(Suite.knobs(";;fc.cap=64=x")).containsExactly(Map.entry("fc.cap", "64=x"));
        assertThat(Suite.knobs("")).isEmpty();
        assertThat(Suite.knobs(null)).isEmpty();
    }

    @Test
    void aLaterPairOfTheSameKnobWinsAsWithRepeatedSetOptions() {
        assertThat(Suite.knobs("stats=false;stats=true")).containsExactly(Map.entry("stats", "true"));
    }

    @Test
    void aMalformedPairFailsWithTheMessageOfAMalformedSetOption() {
        for (String bad : List.of("validation", "=MINCORE", "stats=false; fc.cap")) {
            String pair = bad.contains(";") ? "fc.cap" : bad;
            assertThatThrownBy(() -> Suite.knobs(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--set takes KEY=VALUE, not '" + pair + "'")
                    .hasMessage(messageOf(() -> Knobs.parsePairs(List.of(pair))));
        }
    }

    @Test
    void goodPairsReachTheAllocatorsKnobsAsCommandLineValues() {
        Allocator a = Suite.allocator(NoAllocation.NAME, " validation = mincore ; stats=off;fc.cap=64");
        try {
            assertThat(a.knobs().text(Knob.VALIDATION)).isEqualTo("MINCORE");
            assertThat(a.knobs().text(Knob.STATS)).isEqualTo("false");
            assertThat(a.knobs().intValue(Knob.FC_CAP)).isEqualTo(64);
            assertThat(a.knobs().source(Knob.FC_CAP)).isEqualTo(KnobSource.COMMAND_LINE);
            assertThat(a.knobs().source(Knob.FC_REFILL)).isNotEqualTo(KnobSource.COMMAND_LINE);
        } finally {
            a.close();
        }
    }

    @Test
    void anUnknownKnobFailsTheTrialWithTheMessageOfAnUnknownSetKnob() {
        assertThatThrownBy(() -> Suite.allocator(NoAllocation.NAME, "stats=false;no.such.knob=1"))
                .isInstanceOf(KnobException.class)
                .hasMessageStartingWith("no knob named 'no.such.knob'; knobs are: ")
                .hasMessageContaining("fc.cap")
                .hasMessageContaining("page.size")
                .hasMessage(messageOf(() -> Strategies.resolveKnobs(Knobs.parsePairs(List.of("no.such.knob=1")))));
    }

    @Test
    void aBadValueFailsTheTrialNamingTheKnob() {
        assertThatThrownBy(() -> Suite.allocator(NoAllocation.NAME, "fc.cap=lots"))
                .isInstanceOf(KnobException.class)
                .hasMessageStartingWith("knob fc.cap ")
                .hasMessageContaining("cannot be 'lots'");
    }

    private static String messageOf(Runnable failing) {
        try {
            failing.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void duplicateNamesRunOnce() {
        assertThat(Suite.runnable(List.of("glibc", "none", "glibc"), WIRED, err)).containsExactly("glibc", "none");
    }
}
