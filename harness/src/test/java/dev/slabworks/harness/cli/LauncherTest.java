package dev.slabworks.harness.cli;

import dev.slabworks.harness.testing.DirectOnlyModule;
import dev.slabworks.harness.wiring.Strategies;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verbs the {@code ./slabworks} launcher runs itself ({@link LauncherVerbs}), driven through the
 * launcher script: their help, and mistakes refused with one line and exit 2 before any build. Each case
 * returns before the launcher builds anything, so it holds on a fresh clone in the middle of the build.
 */
class LauncherTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run launcher(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("slabworks").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home")); // the launcher's first look: this JDK
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("./slabworks " + String.join(" ", args) + " did not answer in 60 s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static void assertOneLineError(Run r, String... fragments) {
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.errLines()).as(r.err()).hasSize(1);
        assertThat(r.errLines().getFirst()).contains(fragments);
        assertThat(r.err()).as("no build started").doesNotContain("building");
    }

    @Test
    void everyLauncherVerbPrintsItsOwnUsageForHelp() throws Exception {
        for (LauncherVerbs.Verb v : LauncherVerbs.ALL) {
            Run r = launcher(v.name(), "--help");
            assertThat(r.exit()).as(v.name() + ": " + r.err()).isZero();
            assertThat(r.out().lines().findFirst()).as(v.name()).hasValue("usage: " + v.synopsis());
            assertThat(r.out().lines().count()).as(v.name() + ": a short usage").isBetween(2L, 8L);
            assertThat(r.err()).as(v.name()).isEmpty();
        }
    }

    @Test
    void nativeAnchorRefusesAMissingOrBadRunCount() throws Exception {
        assertOneLineError(launcher("native-anchor", "--runs"), "slabworks native-anchor: --runs wants a number of runs");
        assertOneLineError(launcher("native-anchor", "--runs", "abc", "10", "16", "1"),
                "--runs wants a whole number >= 1, not 'abc'");
        assertOneLineError(launcher("native-anchor", "10", "16"), "takes ITERS WS SEED [MIN MAX] (2 arguments given)");
    }

    @Test
    void fuzzOfAnUnknownStrategyFailsFastListingOnlyTheRealStrategies() throws Exception {
        long started = System.nanoTime();
        Run r = launcher("fuzz", "nosuch");
        // the launcher reads the names from the sources; they are the strategies Guice finds, the test-only ones left out
        List<String> real = Strategies.factories(Strategies.injector()).keySet().stream()
                .filter(name -> !name.equals(DirectOnlyModule.NAME)).toList();
        assertOneLineError(r, "slabworks fuzz: no strategy named 'nosuch'; strategies: " + String.join(", ", real) + " (see");
        assertThat(r.err()).doesNotContain(DirectOnlyModule.NAME).doesNotContain("broken-");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).as("no build").isLessThan(20);
        try (Stream<Path> left = Files.exists(ROOT.resolve(".fuzz")) ? Files.list(ROOT.resolve(".fuzz")) : Stream.empty()) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("nosuch"));
        }
        assertOneLineError(launcher("fuzz", "superslab", "--seconds", "x"), "--seconds wants a whole number >= 1, not 'x'");
        assertOneLineError(launcher("fuzz", "superslab", "--mode", "SOMETIMES"), "no validation mode 'SOMETIMES'");
        assertOneLineError(launcher("fuzz"), "a STRATEGY is missing");
    }

    /** What {@code ./slabworks test} prints of a Maven log (scripts/test-summary.awk), on logs of real builds. */
    static List<String> testSummary(String log) throws IOException, InterruptedException {
        Path file = Path.of("src/test/resources/launcher", log);
        Process p = new ProcessBuilder("awk", "-f", ROOT.resolve("scripts/test-summary.awk").toString(), file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    @Test
    void theTestSummaryIsALinePerModuleAndSurefiresTotals() throws Exception {
        assertThat(testSummary("verify-passed.log")).containsExactly(
                "  api                                  149 tests, 0 failed, 0 errors, 0 skipped",
                "  strategy-superslab                   235 tests, 0 failed, 0 errors, 0 skipped",
                "  strategy-shared-pool                 251 tests, 0 failed, 0 errors, 0 skipped",
                "  strategy-mimalloc-like               181 tests, 0 failed, 0 errors, 0 skipped",
                "  harness                              109 tests, 0 failed, 0 errors, 0 skipped",
                "  benchmarks                            23 tests, 0 failed, 0 errors, 0 skipped",
                "Tests run: 948, Failures: 0, Errors: 0, Skipped: 0",
                "948 passed, 0 failed in 6 modules: BUILD SUCCESS (02:12 min)");
    }

    @Test
    void aModulesSecondTestRunIsALineOfItsOwnUnderItAndCountsOnce() throws Exception {
        // the safety suites run in an execution of their own (safety-with-c2), after the module's default one
        assertThat(testSummary("verify-safety-execution.log")).containsExactly(
                "  api                                  150 tests, 0 failed, 0 errors, 0 skipped",
                "  strategy-superslab                   287 tests, 0 failed, 0 errors, 1 skipped",
                "  strategy-superslab safety/C2          26 tests, 0 failed, 0 errors, 0 skipped",
                "Tests run: 463, Failures: 0, Errors: 0, Skipped: 1",
                "462 passed, 0 failed, 1 skipped in 2 modules: BUILD SUCCESS (21.806 s (Wall Clock))");
    }

    @Test
    void inAParallelBuildEachModulesLineAndFailuresComeFromItsOwnThreadsLines() throws Exception {
        // ./slabworks test builds a thread per core: two strategy modules at once, their lines interleaved (superslab's
        // results come after shared-pool started), a failure's message on lines of its own, a module named by its path
        List<String> summary = testSummary("verify-parallel-failed.log");
        assertThat(summary).containsSubsequence(
                "  strategy-superslab                    11 tests, 0 failed, 0 errors, 0 skipped",
                "  strategy-shared-pool                   2 tests, 1 failed, 0 errors, 0 skipped  <<< FAILED",
                "    Failures: ",
                "      SharedPoolSettingsTest.auto_validation_is_registry_and_the_other_knobs_arrive_as_set:29 ",
                "    expected: 8",
                "     but was: 7");
        assertThat(summary).noneMatch(l -> l.contains("mvn-builder") || l.contains("SuperSlab") && l.startsWith("    "));
        assertThat(summary.getLast()).isEqualTo("12 passed, 1 failed in 2 modules: BUILD FAILURE (3.656 s (Wall Clock))");
    }

    @Test
    void theTestSummaryShowsTheFailuresUnderTheirModuleAndWhatMavenSaidWentWrong() throws Exception {
        List<String> failed = testSummary("verify-failed.log");
        assertThat(failed).containsSubsequence(
                "  harness                              138 tests, 1 failed, 0 errors, 0 skipped  <<< FAILED",
                "    Failures: ",
                "      HelpTest.theReadmesCommandListIsTheHelpsList:65 ",
                "    but could not find the following elements:",
                "  Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.5.4:test (default-test) on "
                        + "project slabworks-harness: There are test failures.",
                "Tests run: 954, Failures: 1, Errors: 0, Skipped: 0",
                "953 passed, 1 failed in 5 modules: BUILD FAILURE (50.160 s)");
        assertThat(failed).noneMatch(l -> l.contains("[INFO]") || l.contains("-> [Help") || l.contains("Re-run Maven"));
        assertThat(testSummary("verify-uncompilable.log")).containsExactly(
                "  Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.14.1:compile (default-compile) "
                        + "on project slabworks-api: Compilation failure",
                "  /home/user/slabworks/api/src/main/java/dev/slabworks/api/knobs/Knob.java:[42,5] ';' expected",
                "No tests ran: BUILD FAILURE (3.104 s)");
    }
}
