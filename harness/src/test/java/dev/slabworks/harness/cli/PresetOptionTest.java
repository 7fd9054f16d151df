package dev.slabworks.harness.cli;

import dev.slabworks.api.knobs.Preset;
import dev.slabworks.harness.testing.Cli;
import dev.slabworks.harness.testing.DirectOnlyModule;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --preset NAME}: a named knob set, shown by {@code knobs}, taken wherever {@code --set} is, under it. */
class PresetOptionTest {
    @Test
    void knobs_with_a_preset_shows_each_setting_and_why_then_the_table_as_the_preset_sets_it() {
        Cli r = Cli.run("knobs", "--preset", "seed");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Preset seed: " + Preset.SEED.description());
        for (Preset.Setting s : Preset.SEED.settings()) {
            assertThat(r.out()).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(s.key()) + "\\s+"
                    + java.util.regex.Pattern.quote(s.value()) + "\\s+" + java.util.regex.Pattern.quote(s.why()) + "$");
        }
        assertThat(r.out()).containsPattern("(?m)^small.max\\s+SLABWORKS_SMALL_MAX\\s+1023\\s+preset\\s+32KiB")
                .containsPattern("(?m)^ss.lru.size\\s+HAKMEM_SS_LRU_SIZE\\s+0\\s+preset\\s+16");
    }

    @Test
    void knobs_alone_lists_every_preset_with_its_values() {
        Cli r = Cli.run("knobs");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Presets (--preset NAME", "  seed: " + Preset.SEED.description(),
                "small.max=1023 mid.policy=BLOCK");
    }

    @Test
    void a_set_wins_over_the_preset_before_or_after_the_verb() {
        Cli after = Cli.run("knobs", "--preset", "seed", "--set", "ss.lru.size=4");
        assertThat(after.out()).containsPattern("(?m)^ss.lru.size\\s+HAKMEM_SS_LRU_SIZE\\s+4\\s+command_line")
                .containsPattern("(?m)^ss.prewarm\\s+HAKMEM_SS_PREWARM\\s+0\\s+preset");
        Cli before = Cli.run("--preset", "seed", "--set", "ss.lru.size=4", "knobs");
        assertThat(before.exit()).as(before.err()).isZero();
        assertThat(before.out()).isEqualTo(after.out());
    }

    @Test
    void an_unknown_preset_is_a_one_line_usage_error_naming_the_presets() {
        for (String verb : List.of("bench", "profile", "hostile", "race", "stress", "knobs")) {
            List<String> args = new java.util.ArrayList<>(List.of(verb, "--preset", "seeds"));
            if (verb.equals("bench") || verb.equals("profile")) {
                args.addAll(List.of("--strategy", DirectOnlyModule.NAME, "random-mixed", "10", "4", "1"));
            }
            Cli r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(verb).isEqualTo(2);
            assertThat(r.errorLines()).as(verb).hasSize(1);
            assertThat(r.errorLines().getFirst()).contains("no preset named 'seeds'; presets: seed");
        }
    }

    @Test
    void a_bench_with_a_preset_records_the_values_it_ran_with(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        Path json = dir.resolve("r.json");
        Cli r = Cli.run("bench", "--preset", "seed", "--set", "fc.cap=8", "--strategy", DirectOnlyModule.NAME,
                "--reps", "1", "--warmup", "0", "--json", json.toString(), "random-mixed", "100", "8", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        String results = java.nio.file.Files.readString(json);
        assertThat(results).contains("\"small.max\" : \"1023\"", "\"fc.cap\" : \"8\"", "\"ss.lru.size\" : \"0\"");
    }

    @Test
    void every_preset_sets_knobs_the_program_declares_with_values_they_accept() {
        for (Preset p : Preset.values()) {
            dev.slabworks.api.knobs.Knobs k = dev.slabworks.harness.wiring.Strategies.resolveKnobs(java.util.Map.of(), p);
            for (Preset.Setting s : p.settings()) {
                dev.slabworks.api.knobs.Knob knob = k.registry().byName(s.key());
                assertThat(k.source(knob)).as("%s of preset %s", s.key(), p).isEqualTo(
                        dev.slabworks.api.knobs.KnobSource.PRESET);
            }
        }
    }

    @Test
    void each_row_carries_the_preset_under_its_sets_to_a_forked_child_and_names_where_each_value_came_from() {
        picocli.CommandLine.Model.CommandSpec spec = picocli.CommandLine.Model.CommandSpec.create();
        Measurement.Sets sets = Measurement.split(spec, "seed", List.of("ss.lru.size=4", "fc.cap=64,128"));
        dev.slabworks.harness.wiring.Contenders contenders = Measurement.contenders(spec, sets);
        List<dev.slabworks.harness.wiring.Contender> chosen = Measurement.select(spec, contenders, List.of("superslab"));
        List<dev.slabworks.harness.bench.ContenderSetup> rows = Measurement.rows(spec, contenders, chosen,
                sets.parsed(spec, contenders.knobs().registry()), sets, 1);
        assertThat(rows).hasSize(2); // the fc.cap sweep
        for (dev.slabworks.harness.bench.ContenderSetup row : rows) {
            assertThat(row.sets()).contains("small.max=1023", "mid.policy=BLOCK", "ss.lru.size=4")
                    .doesNotContain("ss.lru.size=0"); // what a --forks child is given: --set wins over the preset
            assertThat(row.knobs().intValue(dev.slabworks.api.knobs.Knob.SS_LRU_SIZE)).isEqualTo(4);
            assertThat(row.variant().sources()).containsEntry("small.max", "preset seed")
                    .containsEntry("ss.lru.size", "--set").containsEntry("fc.cap", "sweep");
        }
        assertThat(contenders.knobs().longValue(dev.slabworks.api.knobs.Knob.SMALL_MAX)).isEqualTo(1023);
    }
}
