package dev.slabworks.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slabworks.harness.testing.Cli;
import dev.slabworks.harness.testing.DirectOnlyModule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class CompareCommandTest {
    /** Repetitions of the first run of OLD, set so that the figures do not depend on how the machine ran. */
    static final double[] STEADY = {100e3, 101e3, 102e3, 103e3, 104e3, 105e3};

    @TempDir
    static Path dir;
    static Path old;

    @BeforeAll
    static void measureOnce() throws IOException {
        Path measured = dir.resolve("measured.json");
        Cli r = BenchAndProfileCommandTest.bench(measured);
        assertThat(r.exit()).as(r.err()).isZero();
        old = edited(measured, "old.json", 1.0, 0, root -> { });
    }

    /**
     * A copy of {@code from} whose first run (direct-only) has the repetitions {@link #STEADY} times {@code opsFactor}
     * and its mmap count raised by {@code extraMmaps}, and whatever {@code more} changes besides.
     */
    static Path edited(Path from, String name, double opsFactor, long extraMmaps, Consumer<ObjectNode> more)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(from.toFile());
        ObjectNode run = (ObjectNode) root.path("runs").get(0);
        ArrayNode reps = run.putArray("opsPerSec");
        for (double v : STEADY) {
            reps.add(v * opsFactor);
        }
        run.put("opsPerSecMedian", 102.5e3 * opsFactor);
        run.putArray("repetitions"); // per-repetition figures would otherwise keep the measured counts
        ObjectNode mmap = (ObjectNode) run.path("syscalls").path("mmap");
        mmap.put("count", mmap.path("count").asLong() + extraMmaps);
        more.accept(root);
        Path out = dir.resolve(name);
        mapper.writeValue(out.toFile(), root);
        return out;
    }

    static Path edited(String name, double opsFactor, long extraMmaps) throws IOException {
        return edited(old, name, opsFactor, extraMmaps, root -> { });
    }

    @Test
    void theSameResultsHaveNoRegression() {
        Cli r = Cli.run("compare", old.toString(), old.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("direct-only", "glibc", "same, +- 3.4 %", "No regression beyond 5.0%",
                "OLD SYS, NEW SYS: mmap + munmap + madvise + mincore in the median repetition (a whole run, or its own "
                        + "calls with allocator.lifetime RUN; close() not included)")
                .doesNotContain("warning:");
    }

    @Test
    void aThroughputDropBeyondTheThresholdIsFlaggedWithItsUncertaintyAndFailsTheCommand() throws IOException {
        Cli r = Cli.run("compare", old.toString(), edited("slower.json", 0.80, 0).toString());
        assertThat(r.exit()).isEqualTo(1);
        // 100K..105K against 80K..84K: -20 %; the half-intervals (2.4 % each) in quadrature, times 0.8
        assertThat(r.out()).contains("slower by 20.0 % +- 2.8",
                "Regression Alert: direct-only on random-mixed 20000 256 1234567 16 1024: throughput -20.0%",
                "do not overlap");
    }

    @Test
    void aDropWhoseIntervalsOverlapIsNoRegressionWhateverItsSize() throws IOException {
        Path wide = edited(old, "wide.json", 0.80, 0, root -> {
            ArrayNode reps = ((ObjectNode) root.path("runs").get(0)).putArray("opsPerSec");
            for (double v : new double[] {40e3, 60e3, 80e3, 80e3, 84e3, 110e3}) {
                reps.add(v);
            }
        });
        Cli r = Cli.run("compare", old.toString(), wide.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("slower by 22.0 %", "No regression");
    }

    @Test
    void theThresholdIsTheRegressionThresholdKnob() throws IOException {
        Path slower = edited("slower-a-bit.json", 0.80, 0);
        assertThat(Cli.run("compare", "--set", "regression.threshold=25", old.toString(), slower.toString()).exit()).isZero();
        assertThat(Cli.run("compare", "--set", "regression.threshold=15", old.toString(), slower.toString()).exit()).isEqualTo(1);
    }

    @Test
    void moreSyscallsAreARegressionAndAGainIsNot() throws IOException {
        Cli more = Cli.run("compare", old.toString(), edited("more-mmaps.json", 1.0, 100_000).toString());
        assertThat(more.exit()).isEqualTo(1);
        assertThat(more.out()).contains("Regression Alert", "syscalls +");
        Cli faster = Cli.run("compare", old.toString(), edited("faster.json", 1.5, 0).toString());
        assertThat(faster.exit()).isZero();
        assertThat(faster.out()).contains("faster by 50.0 %");
    }

    @Test
    void filesOfAnotherJdkMachineOrKnobsAreWarnedAbout() throws IOException {
        Path elsewhere = edited(old, "elsewhere.json", 1.0, 0, root -> {
            root.put("jdk", "Some Vendor 26");
            ((ObjectNode) root.path("machine")).put("host", "another-host");
            ((ObjectNode) root.path("runs").get(0).path("knobs")).put("fc.cap", "999");
        });
        Cli r = Cli.run("compare", old.toString(), elsewhere.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("warning: the files ran on different JDKs:", "Some Vendor 26 (NEW)",
                "warning: the files ran on different machines:", "another-host",
                "warning: the files differ in knob fc.cap 64 -> 999 (1 run)");
    }

    @Test
    void twoRunsOfOneCommandAgreeAndARunSlowedOnPurposeIsARegression() {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Path slowed = dir.resolve("slowed.json");
        // Two runs of one command on a shared host can differ by more than their intervals while something else
        // runs (the rest of the suite, another process): one of three pairs must agree. Nine repetitions make the
        // 95 % interval x(2)..x(8), so one stalled repetition does not stretch it to the other run's median.
        List<String> disagreements = new ArrayList<>();
        for (int attempt = 0; attempt < 3 && disagreements.size() == attempt; attempt++) {
            for (Path p : new Path[] {a, b}) {
                Cli r = Cli.run("bench", "--strategy", DirectOnlyModule.NAME, "--reps", "9", "--warmup", "1", "--force",
                        "--json", p.toString(), "random-mixed", "4000", "64", "1234567");
                assertThat(r.exit()).as(r.err()).isZero();
            }
            Cli same = Cli.run("compare", a.toString(), b.toString());
            if (same.exit() != 0 || !same.out().contains("No regression")) {
                disagreements.add(same.out());
            }
        }
        assertThat(disagreements).as("every pair of runs disagreed").hasSizeLessThan(3);
        // debug.checks makes direct-only spin 3 us before each allocation (SlowChecksFactory)
        Cli s = Cli.run("bench", "--strategy", DirectOnlyModule.NAME, "--reps", "9", "--warmup", "1", "--set",
                "debug.checks=true", "--json", slowed.toString(), "random-mixed", "4000", "64", "1234567");
        assertThat(s.exit()).as(s.err()).isZero();

        // Either baseline may be the witness: a stall can still land in two repetitions of one of them.
        Cli regression = Cli.run("compare", a.toString(), slowed.toString());
        if (regression.exit() != 1) {
            regression = Cli.run("compare", b.toString(), slowed.toString());
        }
        assertThat(regression.exit()).as(regression.out()).isEqualTo(1);
        assertThat(regression.out()).contains("slower by", "Regression Alert: direct-only on random-mixed 4000 64",
                "warning: the files differ in knob debug.checks false -> true");
    }
}
