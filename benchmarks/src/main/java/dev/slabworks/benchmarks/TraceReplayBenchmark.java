package dev.slabworks.benchmarks;

import dev.slabworks.harness.workload.TraceReplay;
import dev.slabworks.harness.workload.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code trace-replay} of a recorded glibc mtrace through the harness's replay loop
 * ({@link TraceReplay#run}). The committed fixtures ({@code harness/src/test/resources/traces/}) are
 * packed in the jar: {@code python-json.mtrace.xz} (default) and {@code sort-3000-lines.mtrace}; a
 * {@code trace} value that names an existing file replays that file. One op is one whole replay (the
 * trace's length differs per trace), so the score is replays/s; the ratio to glibc is what compares.
 *
 * <pre>
 *   ./slabworks jmh TraceReplayBenchmark
 *   ./slabworks jmh TraceReplayBenchmark -p trace=sort-3000-lines.mtrace,/tmp/out.mtrace.xz
 * </pre>
 */
@State(Scope.Thread)
public class TraceReplayBenchmark extends SuiteRunSettings {
    static final String FIXTURES = "/dev/slabworks/benchmarks/traces/";

    @Param({"python-json.mtrace.xz"})
    public String trace;

    private TraceReplay replay;

    @Setup(Level.Trial)
    public void parse() {
        replay = new TraceReplay(file(trace));
    }

    @Benchmark
    public Workload.Outcome replay(AllocatorState s, Syscalls syscalls) {
        return replay.run(s.allocator);
    }

    /** {@code name} if it is a file, else the bundled fixture of that name copied out of the jar. */
    static Path file(String name) {
        Path given = Path.of(name);
        if (Files.isRegularFile(given)) {
            return given;
        }
        try (InputStream in = TraceReplayBenchmark.class.getResourceAsStream(FIXTURES + name)) {
            if (in == null) {
                throw new IllegalArgumentException("trace '" + name + "' is neither a file nor a bundled fixture "
                        + "(python-json.mtrace.xz, sort-3000-lines.mtrace)");
            }
            String suffix = name.endsWith(".xz") ? ".mtrace.xz" : name.endsWith(".gz") ? ".mtrace.gz" : ".mtrace";
            Path copy = Files.createTempFile("slabworks-trace-", suffix);
            copy.toFile().deleteOnExit();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack trace " + name + ": " + e.getMessage(), e);
        }
    }
}
