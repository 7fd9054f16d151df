package dev.slabworks.harness.reliability;

import dev.slabworks.api.os.Memory;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

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
