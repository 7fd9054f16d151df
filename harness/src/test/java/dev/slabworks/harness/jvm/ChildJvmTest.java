package dev.slabworks.harness.jvm;

import dev.slabworks.api.os.Memory;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A campaign's JVM dying of a SIGSEGV is counted as a crash; a campaign that fails and exits is not. */
class ChildJvmTest {
    /** Reads an address nobody mapped, as the seed's free did before its fix. */
    static final class Segfaults {
        public static void main(String[] args) {
            System.out.println("about to read address 8");
            System.out.println(Memory.getLong(8));
        }
    }

    static final class FailsCleanly {
        public static void main(String[] args) {
            System.out.println("campaign failed: " + String.join(" ", args));
            System.exit(ChildJvm.FAILED);
        }
    }

    @Test
    void a_child_killed_by_a_segv_is_a_crash_and_its_output_is_relayed() throws Exception {
        StringWriter out = new StringWriter();
        int code = ChildJvm.run(Segfaults.class.getName(), List.of(), new PrintWriter(out, true));
        assertThat(ChildJvm.crashed(code)).as("exit code %d", code).isTrue();
        assertThat(out.toString()).contains("about to read address 8").contains("SIGSEGV");
        Matcher report = Pattern.compile("\\S*slabworks_hs_err_pid\\d+\\.log").matcher(out.toString());
        assertThat(report.find()).as("the crash report's path is relayed").isTrue();
        Files.deleteIfExists(Path.of(report.group())); // a crash on purpose: its report is litter
    }

    @Test
    void a_child_that_exits_with_failure_is_not_a_crash() throws Exception {
        StringWriter out = new StringWriter();
        int code = ChildJvm.run(FailsCleanly.class.getName(), List.of("x", "y"), new PrintWriter(out, true));
        assertThat(code).isEqualTo(ChildJvm.FAILED);
        assertThat(ChildJvm.crashed(code)).isFalse();
        assertThat(out.toString()).contains("campaign failed: x y");
    }
}
