package dev.slabworks.api.knobs;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnobsTest {
    @Test
    void every_knob_has_a_unique_key_and_environment_name_a_meaning_and_a_valid_default() {
        Set<String> keys = new HashSet<>();
        Set<String> envs = new HashSet<>();
        Knobs defaults = Knobs.defaults();
        for (Knob k : Knob.values()) {
            assertThat(keys.add(k.key())).as("duplicate key %s", k.key()).isTrue();
            assertThat(envs.add(k.environmentName())).as("duplicate env %s", k.environmentName()).isTrue();
            assertThat(k.environmentName()).matches("(HAKMEM|SLABWORKS)_[A-Z0-9_]+");
            assertThat(k.meaning()).isNotBlank();
            assertThat(defaults.source(k)).isEqualTo(KnobSource.DEFAULT);
        }
    }

    @Test
    void the_seed_knobs_keep_the_seed_environment_names() {
        assertThat(Knob.SS_LRU_SIZE.environmentName()).isEqualTo("HAKMEM_SS_LRU_SIZE");
        assertThat(Knob.SS_PREWARM.environmentName()).isEqualTo("HAKMEM_SS_PREWARM");
        assertThat(Knob.SS_LRU_DEBUG.environmentName()).isEqualTo("HAKMEM_SS_LRU_DEBUG");
        assertThat(Knob.SS_PREWARM_DEBUG.environmentName()).isEqualTo("HAKMEM_SS_PREWARM_DEBUG");
        assertThat(Knob.FC_CAP.environmentName()).isEqualTo("HAKMEM_FC_CAP");
        assertThat(Knob.FC_REFILL.environmentName()).isEqualTo("HAKMEM_FC_REFILL");
        assertThat(Knob.FRONT_STATS.environmentName()).isEqualTo("HAKMEM_FRONT_STATS");
        assertThat(Knob.TINY_FRONT_DIRECT.environmentName()).isEqualTo("HAKMEM_TINY_FRONT_DIRECT");
    }

    @Test
    void a_knob_read_once_per_jvm_is_resolved_and_checked_like_every_other() {
        String property = Knob.STATS.propertyName();
        String before = System.getProperty(property);
        try {
            System.setProperty(property, "off");
            assertThat(Knobs.perJvm(Knob.STATS)).isEqualTo("false");
            System.setProperty(property, "maybe");
            assertThatThrownBy(() -> Knobs.perJvm(Knob.STATS)).isInstanceOf(KnobException.class)
                    .hasMessageContaining("system property " + property).hasMessageContaining("true or false");
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
        assertThatThrownBy(() -> Knobs.perJvm(Knob.FC_CAP)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void key_value_pairs_split_at_the_first_equals_sign_and_a_later_pair_wins() {
        assertThat(Knobs.parsePairs(List.of("fc.cap=8", "validation=a=b", "fc.cap=16")))
                .containsExactly(Map.entry("fc.cap", "16"), Map.entry("validation", "a=b"));
        assertThatThrownBy(() -> Knobs.parsePairs(List.of("=1"))).hasMessage("--set takes KEY=VALUE, not '=1'");
    }

    @Test
    void command_line_beats_system_property_beats_environment_beats_default() {
        Map<String, String> props = Map.of("slabworks.fc.cap", "64", "slabworks.fc.refill", "8");
        Map<String, String> env = Map.of("HAKMEM_FC_CAP", "32", "HAKMEM_FC_REFILL", "4", "HAKMEM_SS_LRU_SIZE", "0");
        Knobs k = Knobs.resolve(Map.of("fc.cap", "128"), props::get, env::get);
        assertThat(k.intValue(Knob.FC_CAP)).isEqualTo(128);
        assertThat(k.source(Knob.FC_CAP)).isEqualTo(KnobSource.COMMAND_LINE);
        assertThat(k.intValue(Knob.FC_REFILL)).isEqualTo(8);
        assertThat(k.source(Knob.FC_REFILL)).isEqualTo(KnobSource.SYSTEM_PROPERTY);
        assertThat(k.intValue(Knob.SS_LRU_SIZE)).isZero();
        assertThat(k.source(Knob.SS_LRU_SIZE)).isEqualTo(KnobSource.ENVIRONMENT);
        assertThat(k.intValue(Knob.SS_PREWARM)).isEqualTo(Integer.parseInt(Knob.SS_PREWARM.defaultText()));
        assertThat(k.source(Knob.SS_PREWARM)).isEqualTo(KnobSource.DEFAULT);
    }

    @Test
    void the_command_line_may_name_a_knob_by_its_environment_name() {
        Knobs k = Knobs.resolve(Map.of("HAKMEM_SS_LRU_SIZE", "3"), p -> null, e -> null);
        assertThat(k.intValue(Knob.SS_LRU_SIZE)).isEqualTo(3);
    }

    @Test
    void sizes_take_binary_suffixes_and_flags_take_the_usual_words() {
        Knobs k = Knobs.defaults().with(Knob.SS_SIZE, "1M").with(Knob.SLAB_SIZE, "32KiB").with(Knob.FRONT_STATS, "1");
        assertThat(k.longValue(Knob.SS_SIZE)).isEqualTo(1 << 20);
        assertThat(k.longValue(Knob.SLAB_SIZE)).isEqualTo(32 << 10);
        assertThat(k.flag(Knob.FRONT_STATS)).isTrue();
        assertThat(k.with(Knob.FRONT_STATS, "off").flag(Knob.FRONT_STATS)).isFalse();
    }

    @Test
    void a_bad_value_names_the_knob_the_source_and_what_is_accepted() {
        Map<String, String> env = Map.of("HAKMEM_SS_LRU_SIZE", "lots");
        assertThatThrownBy(() -> Knobs.resolve(Map.of(), p -> null, env::get))
                .isInstanceOf(KnobException.class)
                .hasMessageContaining("ss.lru.size").hasMessageContaining("HAKMEM_SS_LRU_SIZE")
                .hasMessageContaining("environment variable").hasMessageContaining("'lots'").hasMessageContaining("from 0 to");
        assertThatThrownBy(() -> Knobs.defaults().with(Knob.SS_SIZE, "3M")).hasMessageContaining("power of two");
        assertThatThrownBy(() -> Knobs.defaults().with(Knob.VALIDATION, "sometimes")).hasMessageContaining("MINCORE_CACHED");
        assertThatThrownBy(() -> Knobs.defaults().with(Knob.FC_CAP, "-1")).hasMessageContaining("fc.cap");
    }

    @Test
    void an_unknown_knob_name_lists_the_known_ones() {
        assertThatThrownBy(() -> Knobs.resolve(Map.of("ss.lru", "1")))
                .isInstanceOf(KnobException.class).hasMessageContaining("no knob named 'ss.lru'").hasMessageContaining("ss.lru.size");
    }

    @Test
    void choices_are_case_insensitive_and_read_as_enums() {
        enum Mode { AUTO, REGISTRY, MINCORE, MINCORE_CACHED }
        Knobs k = Knobs.defaults().with(Knob.VALIDATION, "mincore_cached");
        assertThat(k.choice(Knob.VALIDATION, Mode.class)).isEqualTo(Mode.MINCORE_CACHED);
    }

    @Test
    void effective_lists_every_knob_in_table_order() {
        assertThat(Knobs.defaults().effective().keySet()).containsExactly(
                java.util.Arrays.stream(Knob.values()).map(Knob::key).toArray(String[]::new));
    }

    @Test
    void a_preset_sets_its_knobs_under_the_command_line_and_over_properties_environment_and_defaults() {
        Map<String, String> env = Map.of("HAKMEM_SS_LRU_SIZE", "32", "HAKMEM_FC_CAP", "64");
        Knobs k = Knobs.resolve(Map.of("ss.prewarm", "2"), Preset.SEED, key -> null, env::get);
        assertThat(k.intValue(Knob.SS_LRU_SIZE)).isZero(); // the preset's, over the environment's 32
        assertThat(k.source(Knob.SS_LRU_SIZE)).isEqualTo(KnobSource.PRESET);
        assertThat(k.intValue(Knob.SS_PREWARM)).isEqualTo(2); // --set wins over the preset's 0
        assertThat(k.source(Knob.SS_PREWARM)).isEqualTo(KnobSource.COMMAND_LINE);
        assertThat(k.intValue(Knob.FC_CAP)).isEqualTo(64); // not in the preset: the environment's
        assertThat(k.source(Knob.FC_CAP)).isEqualTo(KnobSource.ENVIRONMENT);
        assertThat(k.longValue(Knob.SMALL_MAX)).isEqualTo(1023);
        assertThat(k.text(Knob.MID_POLICY)).isEqualTo("BLOCK");
    }

    @Test
    void every_preset_names_real_knobs_once_with_values_they_accept_and_a_reason() {
        for (Preset p : Preset.values()) {
            Set<Knob> seen = new HashSet<>();
            for (Preset.Setting s : p.settings()) {
                assertThat(seen.add(Knob.byName(s.key()))).as("%s sets %s twice", p, s.key()).isTrue();
                assertThat(s.why()).isNotBlank();
            }
            Knobs k = Knobs.defaults(p);
            for (Preset.Setting s : p.settings()) {
                assertThat(k.source(Knob.byName(s.key()))).isEqualTo(KnobSource.PRESET);
            }
            assertThat(Preset.byName(p.presetName().toUpperCase(java.util.Locale.ROOT))).isSameAs(p);
        }
        assertThatThrownBy(() -> Preset.byName("seeds")).isInstanceOf(KnobException.class)
                .hasMessage("no preset named 'seeds'; presets: " + Preset.names());
    }
}
