package dev.slabworks.harness.cli;

import dev.slabworks.harness.jvm.ChildJvm;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A garbage value in a knob's environment variable is a bad knob: one line and exit 2, from any command. */
class EnvironmentKnobTest {
    @Test
    void aGarbageHakmemValueIsOneLineAndExitCode2ForTheListingCommands() throws Exception {
        for (String verb : List.of("knobs", "strategies")) {
            ProcessBuilder pb = new ProcessBuilder(ChildJvm.command("dev.slabworks.harness.Main", List.of(verb)));
            pb.environment().put("HAKMEM_SS_LRU_SIZE", "abc");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(verb + ": " + out + err).isEqualTo(2);
            assertThat(out).as(verb).isEmpty();
            assertThat(err.lines().toList()).as(verb).singleElement().asString()
                    .startsWith("slabworks " + verb + ": knob ss.lru.size (HAKMEM_SS_LRU_SIZE) from environment variable")
                    .contains("cannot be 'abc': it accepts from 0 to 65536 SuperSlabs");
        }
    }
}
