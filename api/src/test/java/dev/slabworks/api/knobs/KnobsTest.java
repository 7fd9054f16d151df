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
        for (Knob k : Knob.all()) {
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
        Knobs k = Knobs.defaults().with(Knob.SS_SIZE, "1M").with(Knob.DIRECT_CACHE_BYTES, "32KiB").with(Knob.FRONT_STATS, "1");
        assertThat(k.longValue(Knob.SS_SIZE)).isEqualTo(1 << 20);
        assertThat(k.longValue(Knob.DIRECT_CACHE_BYTES)).isEqualTo(32 << 10);
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
                Knob.all().stream().map(Knob::key).toArray(String[]::new));
    }

    @Test
    void a_knob_outside_the_snapshots_registry_reads_by_the_same_precedence_without_a_command_line() {
        KnobTable table = new KnobTable();
        Knob own = table.integer("test.own.depth", 3).range(0, 10).meaning("A knob a strategy declares itself.");
        Map<String, String> env = Map.of("SLABWORKS_TEST_OWN_DEPTH", "7");
        Knobs fromApi = Knobs.resolve(Map.of(), p -> null, env::get);
        assertThat(fromApi.intValue(own)).isEqualTo(7);
        assertThat(fromApi.source(own)).isEqualTo(KnobSource.ENVIRONMENT);
        assertThat(Knobs.defaults().intValue(own)).isEqualTo(3);
        assertThat(Knobs.defaults().with(own, 9).intValue(own)).isEqualTo(9);
        assertThatThrownBy(() -> Knobs.defaults().with(own, 11)).hasMessageContaining("test.own.depth");
    }

    @Test
    void a_registry_makes_a_strategys_knobs_settable_by_name_and_lists_who_declared_each() {
        KnobTable table = new KnobTable();
        Knob own = table.flag("test.plugin.fast", false).meaning("A plugin's knob.");
        KnobRegistry registry = KnobRegistry.builder().add("plugin.jar", table.knobs()).build();
        Knobs k = Knobs.resolve(registry, Map.of("test.plugin.fast", "on"), p -> null, e -> null);
        assertThat(k.flag(own)).isTrue();
        assertThat(k.source(own)).isEqualTo(KnobSource.COMMAND_LINE);
        assertThat(registry.declarer(own)).isEqualTo("plugin.jar");
        assertThat(registry.declarer(Knob.FC_CAP)).isEqualTo("api");
        assertThat(registry.all()).startsWith(Knob.all().toArray(Knob[]::new)).endsWith(own);
        assertThatThrownBy(() -> Knobs.resolve(Map.of("test.plugin.fast", "on")))
                .as("api's registry alone does not know it").hasMessageContaining("no knob named 'test.plugin.fast'");
    }

    @Test
    void two_declarations_of_one_name_are_refused_naming_both_declarers() {
        KnobTable a = new KnobTable();
        a.integer("fc.cap", 1).meaning("A strategy reusing api's key.");
        assertThatThrownBy(() -> KnobRegistry.builder().add("clumsy", a.knobs()).build())
                .isInstanceOf(KnobException.class).hasMessageContaining("clumsy").hasMessageContaining("of api");
        KnobTable b = new KnobTable();
        b.integer("test.other", 1).environment("HAKMEM_FC_CAP").meaning("A strategy reusing api's environment name.");
        assertThatThrownBy(() -> KnobRegistry.builder().add("sneaky", b.knobs()).build())
                .hasMessageContaining("HAKMEM_FC_CAP").hasMessageContaining("sneaky");
        assertThat(KnobRegistry.builder().add("reuser", List.of(Knob.FC_CAP)).build().declarer(Knob.FC_CAP))
                .as("listing one of api's own knobs again is no clash").isEqualTo("api");
    }

    @Test
    void a_declaration_is_checked_when_it_is_made() {
        KnobTable t = new KnobTable();
        assertThatThrownBy(() -> t.integer("test.bad.default", 20).range(0, 10).meaning("Out of its own range."))
                .hasMessageContaining("test.bad.default");
        assertThatThrownBy(() -> t.flag("Not A Key", true)).hasMessageContaining("lower-case");
        t.flag("test.twice", true).meaning("Once.");
        assertThatThrownBy(() -> t.flag("test.twice", true).meaning("Twice.")).hasMessageContaining("declared twice");
    }
}
