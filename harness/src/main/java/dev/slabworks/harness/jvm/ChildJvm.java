package dev.slabworks.harness.jvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one slabworks command in a fresh JVM with this JVM's flags and class path, relaying its
 * output. A reliability campaign runs there so that a JVM crash (SIGSEGV in native code, hs_err) is
 * counted by the parent instead of ending the whole run; {@code bench --forks} runs each contender there
 * so that its figure does not hang on one JVM's luck with the JIT.
 */
public final class ChildJvm {
    /** Exit codes of the child that mean "it ran and answered"; anything else is a crash. */
    public static final int PASSED = 0;
    public static final int FAILED = 1;
    /** The prefix of the system properties a child is given as this JVM holds them: slabworks's own. */
    private static final String SETTINGS = "slabworks.";

    private ChildJvm() {
    }

    /** Runs {@code Main args...} in a child JVM, copying its output to {@code out}; its exit code. */
    public static int run(List<String> args, PrintWriter out) throws IOException, InterruptedException {
        return run("dev.slabworks.harness.Main", args, out);
    }

    /** Runs {@code mainClass args...} in a child JVM, copying its output to {@code out}; its exit code. */
    public static int run(String mainClass, List<String> args, PrintWriter out) throws IOException, InterruptedException {
        return run(mainClass, args, line -> {
            out.println(line);
            out.flush();
        });
    }

    /** Runs {@code Main args...} in a child JVM, giving each line of its output to {@code lines}; its exit code. */
    public static int run(List<String> args, Consumer<String> lines) throws IOException, InterruptedException {
        return run("dev.slabworks.harness.Main", args, lines);
    }

    private static int run(String mainClass, List<String> args, Consumer<String> lines)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(mainClass, args)).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.accept(line);
            }
        }
        return p.waitFor();
    }

    /** The command line of a child JVM running {@code mainClass args...}: this JVM's java, flags and class path. */
    public static List<String> command(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        List<String> inputArguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String jvmArg : inputArguments) {
            if (!jvmArg.startsWith("-javaagent") && !jvmArg.startsWith("-agentlib") && !jvmArg.startsWith("-agentpath")) {
                cmd.add(jvmArg); // flags yes; a debugger or coverage agent of the parent, no
            }
        }
        // what this JVM set for itself while it ran (the jars of --plugin, a static knob): the child runs with the same
        for (String name : System.getProperties().stringPropertyNames()) {
            String flag = "-D" + name + "=" + System.getProperty(name);
            if (name.startsWith(SETTINGS) && !inputArguments.contains(flag)) {
                cmd.add(flag);
            }
        }
        cmd.add("-XX:ErrorFile=" + System.getProperty("java.io.tmpdir") + "/slabworks_hs_err_pid%p.log");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    public static boolean crashed(int exitCode) {
        return exitCode != PASSED && exitCode != FAILED;
    }
}
