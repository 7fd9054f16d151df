package dev.slabworks.harness.bench;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {
    @Test
    void notATerminalGivesOnePlainLinePerStep() {
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), false);
        p.plan(2);
        p.step("a rep 1/2");
        p.step("a rep 2/2");
        p.finish();
        assertThat(s.toString().lines()).hasSize(2);
        assertThat(s.toString().lines().toList().get(0)).isEqualTo("[1/2] a rep 1/2");
        assertThat(s.toString().lines().toList().get(1)).startsWith("[2/2] a rep 2/2, ~").endsWith(" left");
    }

    @Test
    void aTerminalRedrawsOneLineAndClearsIt() {
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), true);
        p.plan(2);
        p.step("first step");
        p.step("second");
        p.finish();
        assertThat(s.toString()).startsWith("\r[1/2] first step").contains("\r[2/2] second").doesNotContain("\n").endsWith("\r");
    }

    @Test
    void timeLeftIsInSecondsOrMinutes() {
        assertThat(Progress.format(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(Progress.format(Duration.ofSeconds(125))).isEqualTo("2m05s");
    }
}
