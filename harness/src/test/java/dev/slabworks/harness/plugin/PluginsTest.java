package dev.slabworks.harness.plugin;

import dev.slabworks.harness.jvm.ChildJvm;
import dev.slabworks.harness.testing.Cli;
import dev.slabworks.harness.wiring.Plugins;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strategies from jars built outside the repository ({@code --plugin JAR}, {@code SLABWORKS_PLUGINS}): a copy of the
 * template under a name of its own runs beside the built-in strategies, and a broken jar is one line naming it, exit 2.
 */
class PluginsTest {
    private static final String NAME = "my-fit";

    @TempDir
    static Path work;
    private static TemplateCopy copy;
    private static Path jar;

    @BeforeAll
    static void buildThePlugin() {
        copy = TemplateCopy.of(work, "com.example.myfit", NAME, "myfit");
        jar = copy.jar("my-fit.jar");
    }

    @Test
    void a_plugin_strategy_is_listed_beside_the_built_in_ones() {
        Cli r = Cli.run("--plugin", jar.toString(), "strategies");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(NAME, "segregated-fit", "superslab", "glibc");
        assertThat(Cli.run("strategies").out()).as("the plugin is the command's, not the JVM's").doesNotContain(NAME);
    }

    @Test
    void bench_runs_a_plugin_strategy_beside_the_built_in_ones() {
        Cli r = Cli.run("bench", "--plugin", jar.toString(), "--strategy", NAME, "--strategy", "segregated-fit",
                "--strategy", "glibc", "--reps", "1", "--warmup", "0", "--set", "memory.sample.ms=0",
                "--json", work.resolve("bench.json").toString(), "random-mixed", "20000", "256", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> rows = r.out().lines().filter(l -> l.startsWith(NAME) || l.startsWith("segregated-fit")
                || l.startsWith("glibc")).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.getFirst()).startsWith(NAME);
    }

    @Test
    void a_plugins_knobs_are_listed_under_its_name_and_settable() {
        Cli knobs = Cli.run("--plugin", jar.toString(), "knobs", "--set", "myfit.chunk.size=64K");
        assertThat(knobs.exit()).as(knobs.err()).isZero();
        assertThat(knobs.out()).containsPattern("myfit\\.chunk\\.size\\s+SLABWORKS_MYFIT_CHUNK_SIZE\\s+65536\\s+command_line\\s+256KiB\\s+my-fit\\s")
                .containsPattern("segfit\\.chunk\\.size.*segregated-fit");
        Cli refused = Cli.run("--plugin", jar.toString(), "bench", "--strategy", NAME, "--set", "myfit.chunk.size=3K",
                "random-mixed", "10", "4", "1");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.errorLines().getFirst()).contains("myfit.chunk.size");
    }

    @Test
    void a_plugin_whose_knob_takes_a_built_in_knobs_name_is_refused() {
        Path clash = copy.edit("SegregatedFitKnobs.java", s -> s.replace("\"myfit.", "\"segfit.")).jar("same-knobs.jar");
        assertBroken(clash, "knob segfit.chunk.size (SLABWORKS_SEGFIT_CHUNK_SIZE) of my-fit clashes with knob "
                + "segfit.chunk.size (SLABWORKS_SEGFIT_CHUNK_SIZE) of segregated-fit");
    }

    @Test
    void a_plugin_given_in_the_environment_reaches_a_fresh_jvm() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command("dev.slabworks.harness.Main", List.of("strategies")))
                .redirectErrorStream(true);
        pb.environment().put(Plugins.ENVIRONMENT, jar.toString());
        Process p = pb.start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().collect(Collectors.joining("\n"));
        }
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains(NAME);
    }

    @Test
    void a_child_jvm_is_given_the_plugins_of_its_parent() {
        System.setProperty(Plugins.PROPERTY, jar.toString());
        try {
            assertThat(ChildJvm.command("Main", List.of())).contains("-D" + Plugins.PROPERTY + "=" + jar);
        } finally {
            System.clearProperty(Plugins.PROPERTY);
        }
    }

    private static void assertBroken(Path plugin, String problem) {
        Cli r = Cli.run("--plugin", plugin.toString(), "strategies");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.errorLines()).as(r.err()).hasSize(1);
        assertThat(r.errorLines().getFirst()).contains("plugin " + plugin.toAbsolutePath() + ": " + problem);
    }

    @Test
    void a_missing_file_is_named() {
        assertBroken(work.resolve("nowhere.jar"), "no such file");
    }

    @Test
    void a_file_that_is_not_a_jar_is_named() throws Exception {
        Path text = Files.writeString(work.resolve("notes.jar"), "not a zip");
        assertBroken(text, "not a jar");
    }

    @Test
    void a_jar_without_a_services_file_declares_no_strategy() throws Exception {
        Path empty = work.resolve("empty.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(empty))) {
            out.putNextEntry(new java.util.jar.JarEntry("README"));
            out.closeEntry();
        }
        assertBroken(empty, "declares no strategy");
    }

    @Test
    void a_class_missing_from_the_jar_is_named() {
        Path missing = copy.jar("missing-chunk.jar", entry -> !entry.endsWith("/Chunk.class"));
        assertBroken(missing, "strategy 'my-fit' cannot make an allocator with default knobs: NoClassDefFoundError: com/example/myfit/Chunk");
    }

    @Test
    void a_factory_that_fails_is_named() {
        Path failing = copy.edit("SegregatedFitFactory.java", s -> s.replace("return new SegregatedFitAllocator(knobs, os);",
                "throw new IllegalStateException(\"no allocator today\");")).jar("failing.jar");
        assertBroken(failing, "strategy 'my-fit' cannot make an allocator with default knobs: "
                + "IllegalStateException: no allocator today");
    }

    @Test
    void a_plugin_taking_a_built_in_strategys_name_is_refused() {
        Path clash = copy.edit("SegregatedFitFactory.java", s -> s.replace("\"" + NAME + "\"", "\"superslab\""))
                .jar("clash.jar");
        assertBroken(clash, "strategy 'superslab' is a built-in strategy's name");
    }

    @Test
    void two_plugins_with_one_strategy_name_are_refused() throws Exception {
        Path twin = Files.copy(jar, work.resolve("twin.jar")); // its own class loader: the same classes, again
        Cli r = Cli.run("--plugin", jar.toString(), "--plugin", twin.toString(), "strategies");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errorLines()).hasSize(1);
        assertThat(r.errorLines().getFirst()).contains("plugin " + twin + ": strategy 'my-fit' is registered by plugin " + jar);
    }
}
