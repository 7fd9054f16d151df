package dev.slabworks.sharedpool;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.validate.ValidationMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedPoolSettingsTest {
    @Test
    void a_slab_larger_than_its_superslab_is_refused_naming_both_knobs() {
        Knobs knobs = Knobs.defaults().with(Knob.SS_SIZE, "64KiB").with(SharedPoolKnobs.SLAB_SIZE, "128KiB");
        assertThatThrownBy(() -> new SharedPoolAllocator(knobs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slab.size 131072").hasMessageContaining("ss.size 65536");
    }

    @Test
    void auto_validation_is_registry_and_the_other_knobs_arrive_as_set() {
        SharedPoolSettings defaults = SharedPoolSettings.from(Knobs.defaults());
        assertThat(defaults.validation()).isEqualTo(ValidationMode.REGISTRY);
        SharedPoolSettings s = SharedPoolSettings.from(Knobs.defaults().with(Knob.VALIDATION, "MINCORE")
                .with(Knob.PURGE_ADVICE, "FREE").with(Knob.FC_CAP, 7).with(Knob.SS_PREWARM, 0));
        assertThat(s.validation()).isEqualTo(ValidationMode.MINCORE);
        assertThat(s.purgeAdvice()).isEqualTo(Advice.FREE);
        assertThat(s.frontCapacity()).isEqualTo(7);
        assertThat(s.prewarm()).isZero();
    }
}
