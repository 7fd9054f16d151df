package dev.slabworks.harness.cli;

import dev.slabworks.harness.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every mistake gets one line saying what was wrong (and what is accepted) and a non-zero exit. */
class CommandErrorsTest {
    static void assertOneLineError(Cli r, String... fragments) {
        assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
        assertThat(r.errorLines()).hasSize(1);
        assertThat(r.errorLines().getFirst()).contains(fragments);
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
    void anUnknownWorkloadListsTheAcceptedOnes() {
        assertOneLineError(Cli.run("profile", "cache-scratch", "1"), "unknown workload 'cache-scratch'", "trace-replay FILE");
    }

    @Test
    void anUnknownStrategyListsTheAcceptedOnes() {
        assertOneLineError(Cli.run("bench", "--strategy", "nope", "random-mixed", "1", "1", "1"),
                "unknown strategy 'nope'", "accepted: all", "glibc");
    }

    @Test
    void aBadKnobIsRefused() {
        assertOneLineError(Cli.run("bench", "--set", "fc.cap=lots", "random-mixed", "1", "1", "1"), "fc.cap");
        assertOneLineError(Cli.run("bench", "--set", "nokey", "random-mixed", "1", "1", "1"), "KEY=VALUE");
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
    void aMissingTraceFileIsOneLine() {
        assertOneLineError(Cli.run("bench", "trace-replay", "/no/such.mtrace"), "trace file not found: /no/such.mtrace");
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
    void helpWorksEverywhere() {
        for (String command : new String[] {"bench", "profile", "compare", "knobs", "strategies"}) {
            Cli r = Cli.run(command, "--help");
            assertThat(r.exit()).as(command).isZero();
            assertThat(r.out()).as(command).contains("Usage: slabworks " + command).doesNotContain("null");
            assertThat(r.err()).as(command).isEmpty();
        }
        Cli root = Cli.run("--help");
        assertThat(root.exit()).isZero();
        assertThat(root.out()).contains("bench", "profile", "compare", "knobs", "strategies");
    }
}
