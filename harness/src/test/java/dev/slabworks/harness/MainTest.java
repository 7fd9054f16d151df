package dev.slabworks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void the_static_stats_knob_is_found_in_either_set_form_and_the_last_one_wins() {
        assertThat(Main.staticStatsKnob(new String[] {"bench", "--set", "stats=false", "random-mixed"})).isEqualTo("false");
        assertThat(Main.staticStatsKnob(new String[] {"--set=stats=0"})).isEqualTo("0");
        assertThat(Main.staticStatsKnob(new String[] {"--set", "stats=false", "--set", "stats=true"})).isEqualTo("true");
    }

    @Test
    void other_knobs_and_lookalikes_are_not_the_stats_knob() {
        assertThat(Main.staticStatsKnob(new String[] {"--set", "front.stats=true"})).isNull();
        assertThat(Main.staticStatsKnob(new String[] {"--set", "statsx=1", "stats=false"})).isNull();
        assertThat(Main.staticStatsKnob(new String[] {"--set"})).isNull();
    }
}
