package dev.slabworks.harness.workload;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.baseline.NativeAllocator;
import dev.slabworks.harness.baseline.NativeLibrary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The C twins in benchmarks/native/ make the same ops as the Java workloads: compiled with the system's C
 * compiler and run on glibc, their counts (standard error, "counts: KEY=VALUE ...") must equal the Java
 * outcome's. Skipped, saying so, when there is no C compiler. Only counts that do not depend on how
 * threads interleave are compared for the multi-thread twins.
 */
class NativeTwinTest {
    static final Path SOURCES = Path.of("..", "benchmarks", "native").toAbsolutePath().normalize();
    @TempDir
    static Path bin;
    static String compiler;

    @BeforeAll
    static void findACompiler() throws Exception {
        for (String cc : List.of("cc", "gcc", "clang")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (compiler == null && Files.isExecutable(Path.of(dir, cc))) {
                    compiler = Path.of(dir, cc).toString();
                }
            }
        }
    }

    /** Compiles {@code source}.c (once) and runs it with {@code env} and {@code args}; returns its counts. */
    static Map<String, String> twin(String source, Map<String, String> env, String... args) throws Exception {
        Path exe = compiled(source);
        List<String> command = new ArrayList<>(List.of(exe.toString()));
        command.addAll(List.of(args));
        String err = run(command, env);
        String line = err.lines().filter(l -> l.startsWith("counts: ")).findFirst().orElseThrow(
                () -> new AssertionError(source + " printed no counts: " + err));
        Map<String, String> counts = new LinkedHashMap<>();
        for (String pair : line.substring("counts: ".length()).split(" ")) {
            String[] kv = pair.split("=", 2);
            counts.put(kv[0], kv[1]);
        }
        return counts;
    }

    /** {@code source}.c compiled (once) with the system's C compiler; the test is skipped, saying so, without one. */
    private static Path compiled(String source) throws IOException, InterruptedException {
        assumeTrue(compiler != null, "no C compiler (cc, gcc or clang) on PATH: the C twins are not compared");
        assumeTrue(Files.isRegularFile(SOURCES.resolve(source + ".c")), "no " + source + ".c under " + SOURCES);
        Path exe = bin.resolve(source);
        if (!Files.exists(exe)) {
            run(List.of(compiler, "-O2", "-pthread", "-o", exe.toString(), SOURCES.resolve(source + ".c").toString()),
                    Map.of());
        }
        return exe;
    }

    /** A twin's process with the environment's own settings of the twins taken out and {@code env} put in. */
    private static ProcessBuilder process(List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("HAKMEM_BENCH_") || k.equals("NONE") || k.equals("REPEAT"));
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs {@code command}, which must succeed; what it wrote on standard error (its standard output is dropped). */
    private static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        return run(command, env, false);
    }

    /**
     * Runs {@code command}, which must succeed, and returns what it wrote on standard output when {@code stdout}, else
     * on standard error; the other stream is dropped (read one, drop the other: no pipe can fill and stall it).
     */
    private static String run(List<String> command, Map<String, String> env, boolean stdout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = process(command, env);
        if (stdout) {
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        } else {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        Process p = pb.start();
        byte[] read = (stdout ? p.getInputStream() : p.getErrorStream()).readAllBytes();
        String text = new String(read, StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(command + ": " + text).isZero();
        return text;
    }

    static Map<String, String> java(Workload w, Knobs knobs) {
        try (NativeAllocator glibc = new NativeAllocator(NativeLibrary.GLIBC, knobs)) {
            Map<String, String> counts = new LinkedHashMap<>();
            w.run(glibc).counts().forEach((k, v) -> counts.put(k, v.toString()));
            return counts;
        }
    }

    static Workload parse(String... words) {
        return Workloads.parse(List.of(words));
    }

    @Test
    void theSeedBenchmarksTwinMakesTheSameOpsWithTheDefaultPrefault() throws Exception {
        Map<String, String> c = twin("hakmem_random_mixed", Map.of(), "200000", "4096", "1234567");
        assertThat(c).isEqualTo(java(parse("hakmem-random-mixed", "200000", "4096", "1234567"), Knobs.defaults()));
        assertThat(c).containsEntry("prefaultAllocations", "11046").containsEntry("loopAllocations", "100000");
    }

    @Test
    void theSeedBenchmarksTwinReadsTheSameEnvironment() throws Exception {
        Map<String, String> env = Map.of("HAKMEM_BENCH_PREFAULT", "0", "HAKMEM_BENCH_WARMUP", "3000",
                "HAKMEM_BENCH_C6_ONLY", "true");
        Map<String, String> c = twin("hakmem_random_mixed", env, "200000", "4096", "1234567", "100", "900");
        Knobs knobs = Knobs.resolve(Map.of(), key -> null, env::get);
        assertThat(c).isEqualTo(java(parse("hakmem-random-mixed", "200000", "4096", "1234567", "100", "900"), knobs));
        assertThat(c).containsEntry("prefaultAllocations", "0");
    }

    @Test
    void distMixedsTwinMakesTheSameOps() throws Exception {
        for (String dist : List.of("app", "uniform:4096:32768", "trimix:1:8:1:100:200:0:300:400:7")) {
            Map<String, String> c = twin("dist_mixed", Map.of(), "300000", "400", "1234567", dist);
            assertThat(c).as(dist).isEqualTo(java(parse("dist-mixed", "300000", "400", "1234567", dist), Knobs.defaults()))
                    .containsKeys("allocations", "frees");
        }
    }

    @Test
    void theMultiThreadTwinsDrawTheSameOps() throws Exception {
        Map<String, String> c = twin("mt_remote", Map.of(), "2", "50000", "400", "16", "2048", "90");
        Map<String, String> j = java(parse("mt-remote", "2", "50000", "400", "16", "2048", "90"), Knobs.defaults());
        assertThat(c.get("allocations")).isEqualTo(j.get("allocations"));
        assertThat(c.get("localFrees")).isEqualTo(j.get("localFrees"));
        assertThat(Long.parseLong(c.get("remoteSends")) + Long.parseLong(c.get("remoteFallbacks")))
                .isEqualTo(Long.parseLong(j.get("remoteSends")) + Long.parseLong(j.get("remoteFallbacks")));

        Map<String, String> x = twin("xmalloc", Map.of(), "2", "10000", "16", "256");
        assertThat(x).containsEntry("allocations", "20000").containsEntry("frees", "20000");
        Map<String, String> l = twin("larson", Map.of(), "2", "0.05", "8", "1000", "100", "5");
        assertThat(Long.parseLong(l.get("allocations"))).isPositive();
        assertThat(l.get("frees")).isEqualTo(l.get("allocations"));
    }

    @Test
    void randomMixedWithRepeatTimesItsLoopThatManyTimesInOneProcess() throws Exception {
        assertThat(timings(Map.of(), "20000", "64", "1")).hasSize(1);
        List<Double> three = timings(Map.of("REPEAT", "3"), "20000", "64", "1");
        assertThat(three).hasSize(3).allSatisfy(opsPerSecond -> assertThat(opsPerSecond).isPositive());
    }

    /** The figures random_mixed prints on standard output, one a line. */
    private static List<Double> timings(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(compiled("random_mixed").toString()));
        command.addAll(List.of(args));
        return run(command, env, true).lines().map(Double::parseDouble).toList();
    }
}
