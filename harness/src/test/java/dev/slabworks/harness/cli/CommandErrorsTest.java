package dev.slabworks.harness.cli;

import dev.slabworks.harness.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every mistake gets one line saying what was wrong (and what is accepted) and exit code 2, before
 * anything runs: a bad argument, option, knob, file or value. (A failed run is exit 1: FailedRunTest,
 * ReliabilityCommandsTest, CompareCommandTest.)
 */
class CommandErrorsTest {
    static void assertOneLineError(Cli r, String... fragments) {
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.errorLines()).as(r.err()).hasSize(1);
        assertThat(r.errorLines().getFirst()).contains(fragments);
        assertThat(r.err()).as("nothing ran").doesNotContain("[1/");
    }

    @Test
    void aBadNumberNamesTheArgument() {
        assertOneLineError(Cli.run("bench", "random-mixed", "10", "many", "1"), "slabworks bench:", "WS", "'many'");
    }

    @Test
    void aWrongArgumentCountSaysTheForm() {
        assertOneLineError(Cli.run("bench", "remote-free", "2"), "remote-free takes THREADS ITERS WS SEED");
    }

    @Test
    void aWorkloadOfNoIterationIsRefused() {
        assertOneLineError(Cli.run("bench", "--strategy", "glibc", "random-mixed", "0", "16", "1"),
                "random-mixed: ITERS must be >= 1, not 0");
        assertOneLineError(Cli.run("bench", "remote-free", "2", "0", "16", "1"), "remote-free: ITERS must be >= 1");
    }

    @Test
    void anUnknownWorkloadListsTheAcceptedOnes() {
        assertOneLineError(Cli.run("profile", "cache-scratch", "1"), "unknown workload 'cache-scratch'", "trace-replay FILE");
    }

    @Test
    void anUnknownStrategyListsTheAcceptedOnes() {
        assertOneLineError(Cli.run("bench", "--strategy", "nope", "random-mixed", "1", "1", "1"),
                "unknown strategy 'nope'", "accepted: all", "glibc");
    }

    @Test
    void anUnknownCommandListsTheCommands() {
        assertOneLineError(Cli.run("benchmark", "random-mixed", "1", "1", "1"), "slabworks: unknown command 'benchmark'",
                "commands: bench, profile, run, compare, knobs, strategies, hostile, stress, race, fuzz, test, jmh, native-anchor");
    }

    @Test
    void aBadKnobIsRefused() {
        assertOneLineError(Cli.run("bench", "--set", "fc.cap=lots", "random-mixed", "1", "1", "1"), "fc.cap");
        assertOneLineError(Cli.run("bench", "--set", "nokey", "random-mixed", "1", "1", "1"), "KEY=VALUE");
        assertOneLineError(Cli.run("knobs", "--set", "nokey"), "slabworks knobs:", "KEY=VALUE");
    }

    @Test
    void aKnobOutsideWhatTheStrategiesAcceptIsRefusedByTheTableWithItsRange() {
        assertOneLineError(Cli.run("bench", "--set", "slab.size=4K", "random-mixed", "1000", "16", "1"),
                "knob slab.size", "'4K'", "a power of two from 32K to 32M bytes");
        assertOneLineError(Cli.run("hostile", "--set", "page.size=16K"), "knob page.size", "from 64K to 32M");
    }

    @Test
    void knobsEachInRangeThatAStrategyRefusesTogetherAreRefusedBeforeAnyRun() {
        // slab.size 4M is in the table's range, but larger than the 2M SuperSlab it would be cut from
        assertOneLineError(Cli.run("bench", "--strategy", "glibc", "--strategy", "shared-pool", "--set", "slab.size=4M",
                "random-mixed", "1000", "16", "1"), "shared-pool does not accept these knobs", "slab.size 4194304");
        assertOneLineError(Cli.run("stress", "--strategy", "mimalloc-like", "--set", "segment.size=64K",
                "--set", "page.size=128K"), "mimalloc-like does not accept these knobs", "page.size");
    }

    @Test
    void badRepsAndUnknownOptionsAreRefused() {
        assertOneLineError(Cli.run("bench", "--reps", "0", "random-mixed", "1", "1", "1"), "--reps must be >= 1");
        assertOneLineError(Cli.run("bench", "--reps", "x", "random-mixed", "1", "1", "1"), "--reps");
        assertOneLineError(Cli.run("bench", "--frobnicate", "random-mixed", "1", "1", "1"), "--frobnicate");
        assertOneLineError(Cli.run("bench", "--forks", "-1", "random-mixed", "1", "1", "1"), "--forks must be >= 0");
        assertOneLineError(Cli.run("bench", "--forks", "2", "--reps", "0", "random-mixed", "1", "1", "1"),
                "--reps must be >= 1");
        assertOneLineError(Cli.run("bench"), "WORKLOAD");
    }

    @Test
    void hostileRefusesABadModeABaselineAndANegativeCount() {
        assertOneLineError(Cli.run("hostile", "--mode", "bogus"), "slabworks hostile:", "no validation mode 'bogus'",
                "REGISTRY, MINCORE, MINCORE_CACHED, all");
        assertOneLineError(Cli.run("hostile", "--strategy", "glibc"), "no strategy named 'glibc'", "superslab",
                "native baselines are not run here");
        assertOneLineError(Cli.run("hostile", "--frees", "-5"), "--frees must be >= 1, not -5");
        assertOneLineError(Cli.run("hostile", "--live", "0"), "--live must be >= 1");
    }

    @Test
    void stressRefusesABaselineAndZeroThreadsWithoutDumpingARecord() {
        assertOneLineError(Cli.run("stress", "--strategy", "glibc"), "slabworks stress:", "no strategy named 'glibc'");
        Cli zero = Cli.run("stress", "--threads", "0");
        assertOneLineError(zero, "--threads must be >= 1, not 0");
        assertThat(zero.err()).doesNotContain("Settings[");
        assertOneLineError(Cli.run("stress", "--blocks", "0"), "--blocks must be >= 1");
    }

    @Test
    void aMissingTraceFileIsOneLine() {
        assertOneLineError(Cli.run("bench", "trace-replay", "/no/such.mtrace"), "trace file not found: /no/such.mtrace");
    }

    @Test
    void anEmptyTraceFileIsRefused(@TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.mtrace"));
        assertOneLineError(Cli.run("bench", "--strategy", "glibc", "trace-replay", empty.toString()),
                "trace-replay: " + empty + " holds no allocation, free or realloc");
        Path markersOnly = Files.writeString(dir.resolve("markers.mtrace"), "= Start\n= End\n");
        assertOneLineError(Cli.run("bench", "trace-replay", markersOnly.toString()), "holds no allocation");
    }

    @Test
    void aTraceReplayedNoTimesIsOneLine(@TempDir Path dir) throws IOException {
        Path trace = Files.writeString(dir.resolve("one.mtrace"), "+ 0x1000 0x10\n- 0x1000\n");
        assertOneLineError(Cli.run("bench", "trace-replay", trace.toString(), "0"), "PASSES must be 1..");
        assertOneLineError(Cli.run("bench", "trace-replay", trace.toString(), "2", "3"), "FILE [PASSES]");
    }

    @Test
    void aMalformedTraceNamesTheLine(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.mtrace");
        Files.writeString(bad, "= Start\n+ 0x10 0x20\n- 0x30\n");
        assertOneLineError(Cli.run("bench", "trace-replay", bad.toString()), bad + ":3:", "never allocated");
        Files.writeString(bad, "= Start\n+ 0x10 0x20\ngarbage here\n");
        assertOneLineError(Cli.run("profile", "trace-replay", bad.toString()), bad + ":3: malformed mtrace line");
    }

    @Test
    void compareWithAMissingFileIsOneLine(@TempDir Path dir) throws IOException {
        assertOneLineError(Cli.run("compare", "/no/old.json", "/no/new.json"), "results file not found: /no/old.json");
        Path notJson = dir.resolve("x.json");
        Files.writeString(notJson, "{\"schema\": \"other/2\"}");
        assertOneLineError(Cli.run("compare", notJson.toString(), notJson.toString()), "not a slabworks.result/1");
    }

    @Test
    void compareOfTwoFilesWithNoRunInCommonIsRefused(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        assertThat(Cli.run("bench", "--strategy", "glibc", "--reps", "1", "--warmup", "0", "--json", a.toString(),
                "random-mixed", "1000", "16", "1").exit()).isZero();
        assertThat(Cli.run("bench", "--strategy", "glibc", "--reps", "1", "--warmup", "0", "--json", b.toString(),
                "random-mixed", "1000", "16", "2").exit()).isZero();
        assertOneLineError(Cli.run("compare", a.toString(), b.toString()), "slabworks compare: no run in common",
                a + " has 1 run of glibc on random-mixed 1000 16 1 16 1024", b + " has 1 run of glibc on random-mixed 1000 16 2");
    }

    @Test
    void aGarbageKnobInAPropertyIsABadKnobForTheListingCommandsToo() {
        // the environment's HAKMEM_* names take the same path (EnvironmentKnobTest runs them in a child JVM)
        System.setProperty("slabworks.ss.lru.size", "abc");
        try {
            assertOneLineError(Cli.run("knobs"), "slabworks knobs:", "ss.lru.size", "'abc'", "from 0 to 65536");
            assertOneLineError(Cli.run("strategies"), "slabworks strategies:", "ss.lru.size", "'abc'");
            assertOneLineError(Cli.run("compare", "/no/a.json", "/no/b.json"), "ss.lru.size");
        } finally {
            System.clearProperty("slabworks.ss.lru.size");
        }
    }

    @Test
    void aLauncherVerbReachedInTheJarSaysWhereItRuns() {
        assertOneLineError(Cli.run("jmh"), "slabworks jmh:", "runs in the ./slabworks launcher",
                "./slabworks jmh [JMH OPTIONS...]");
    }
}
