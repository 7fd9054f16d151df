package dev.slabworks.harness.experiment;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentFileTest {
    static final dev.slabworks.api.knobs.KnobRegistry R = SweepValuesTest.REGISTRY;

    static final String FULL = """
            name = "pool-vs-per-class"
            question = "Does one shared pool beat a SuperSlab per class?"
            strategies = ["glibc"]
            repetitions = 7
            warmup = 1
            forks = 2
            workloads = ["random-mixed 2000 64 1",
                         { run = "dist-mixed 1000 64 1 app", repetitions = 3, warmup = 0 }]

            [[contender]]
            label = "per class"
            strategy = "superslab"
            knobs = { "ss.reuse.partial" = false }

            [[contender]]
            strategy = "shared-pool"

            [knobs]
            fc.cap = 64                 # a bare dotted key is a knob's key too
            "HAKMEM_SS_PREWARM" = 0     # and so is an environment name

            [sweep]
            "ss.lru.size" = [0, 4]
            "page.size" = "64K..128K:x2"
            """;

    @Test
    void aFileNamesItsQuestionContendersWorkloadsKnobsSweepsAndCounts() {
        Experiment e = ExperimentFile.parse("f.toml", FULL, SweepValuesTest.REGISTRY);
        assertThat(e.name()).isEqualTo("pool-vs-per-class");
        assertThat(e.question()).isEqualTo("Does one shared pool beat a SuperSlab per class?");
        assertThat(e.contenders()).extracting(Experiment.Contender::label).containsExactly("glibc", "per class", "shared-pool");
        assertThat(e.contenders().get(1).strategy()).isEqualTo("superslab");
        assertThat(e.contenders().get(1).knobs()).containsExactly(Map.entry("ss.reuse.partial", "false"));
        assertThat(e.knobs()).containsExactly(Map.entry("fc.cap", "64"), Map.entry("ss.prewarm", "0"));
        assertThat(e.sweep()).containsExactly(Map.entry("ss.lru.size", List.of("0", "4")),
                Map.entry("page.size", List.of("65536", "131072")));
        assertThat(e.workloads()).hasSize(2);
        assertThat(e.workloads().getFirst().words()).containsExactly("random-mixed", "2000", "64", "1");
        assertThat(e.workloads().getFirst().repetitions(e.repetitions())).isEqualTo(7);
        assertThat(e.workloads().get(1).repetitions(e.repetitions())).isEqualTo(3);
        assertThat(e.workloads().get(1).warmup(e.warmup())).isZero();
        assertThat(e.forks()).isEqualTo(2);
        assertThat(e.text()).isEqualTo(FULL);
    }

    @Test
    void repetitionsDefaultToTheFewestThatGiveA95PercentInterval() {
        Experiment e = ExperimentFile.parse("f.toml", """
                name = "x"
                question = "q?"
                strategies = ["glibc"]
                workloads = ["random-mixed 2000 64 1"]
                """, SweepValuesTest.REGISTRY);
        assertThat(e.repetitions()).isEqualTo(6);
        assertThat(e.warmup()).isEqualTo(2);
        assertThat(e.forks()).isZero();
        assertThat(e.sweep()).isEmpty();
    }

    @Test
    void mistakesAreNamedWithTheFile() {
        String ok = "name = \"x\"\nquestion = \"q?\"\nstrategies = [\"glibc\"]\nworkloads = [\"random-mixed 2000 64 1\"]\n";
        assertThatThrownBy(() -> ExperimentFile.parse("f.toml", ok + "repetitons = 3\n", R))
                .hasMessageStartingWith("f.toml: unknown key 'repetitons'; accepted: contender, forks, knobs, name");
        assertThatThrownBy(() -> ExperimentFile.parse("f.toml", "preset = \"hakmem\"\n" + ok, R))
                .hasMessageStartingWith("f.toml: no preset named 'hakmem'");
        assertThat(ExperimentFile.parse("f.toml", "preset = \"SEED\"\n" + ok, R).preset()).isEqualTo("seed");
        assertThat(ExperimentFile.parse("f.toml", ok, R).preset()).isNull();
        assertThatThrownBy(() -> ExperimentFile.parse("f.toml", ok.replace("question = \"q?\"\n", ""), R))
                .hasMessage("f.toml: missing 'question'");
        assertThatThrownBy(() -> ExperimentFile.parse("f.toml", ok.replace("strategies = [\"glibc\"]\n", ""), R))
                .hasMessageContaining("names no contender");
        assertThatThrownBy(() -> ExperimentFile.parse("f.toml", ok + "[knobs]\nfc.cap = \"lots\"\n", R))
                .hasMessageStartingWith("f.toml: [knobs] knob fc.cap").hasMessageContaining("cannot be 'lots'");
        assertThatThrownBy(() -> ExperimentFile.parse("f.toml", ok + "[knobs]\nno.such = 1\n", R))
                .hasMessageContaining("no knob named 'no.such'");
        assertThatThrownBy(() -> ExperimentFile.parse("f.toml", ok + "[sweep]\nvalidation = \"0..4\"\n", R))
                .hasMessageStartingWith("f.toml: [sweep] range '0..4' needs a knob of whole numbers");
        assertThatThrownBy(() -> ExperimentFile.parse("f.toml", ok + "[[contender]]\nstrategy = \"glibc\"\n", R))
                .hasMessageContaining("two contenders are labelled 'glibc'");
        assertThatThrownBy(() -> ExperimentFile.parse("f.toml", ok.replace("\"x\"", "\"a b\""), R))
                .hasMessageContaining("name 'a b' must be letters");
        assertThatThrownBy(() -> ExperimentFile.parse("f.toml", "name = \n", R)).hasMessageStartingWith("f.toml is not valid TOML");
        assertThatThrownBy(() -> ExperimentFile.read(Path.of("/no/such.toml"), R))
                .hasMessage("experiment file not found: /no/such.toml");
    }

    @Test
    void everyCheckedInExperimentReads() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("..", "experiments"))) {
            files = s.filter(p -> p.toString().endsWith(".toml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            Experiment e = ExperimentFile.read(f, R);
            assertThat(f.getFileName().toString()).as("file named after its experiment").isEqualTo(e.name() + ".toml");
            assertThat(e.question()).as(f.toString()).endsWith("?");
        }
    }
}
