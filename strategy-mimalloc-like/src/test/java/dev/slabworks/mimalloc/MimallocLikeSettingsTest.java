package dev.slabworks.mimalloc;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.validate.ValidationMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MimallocLikeSettingsTest {
    @Test
    void a_page_larger_than_its_segment_is_refused_naming_both_knobs() {
        Knobs knobs = Knobs.defaults().with(MimallocLikeKnobs.SEGMENT_SIZE, "128KiB").with(MimallocLikeKnobs.PAGE_SIZE, "256KiB");
        assertThatThrownBy(() -> new MimallocLikeAllocator(knobs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(MimallocLikeKnobs.PAGE_SIZE.key()).hasMessageContaining(MimallocLikeKnobs.SEGMENT_SIZE.key());
    }

    @Test
    void a_medium_page_is_capped_at_the_segment_and_auto_validation_is_mincore_cached() {
        MimallocLikeSettings s = MimallocLikeSettings.from(Knobs.defaults().with(MimallocLikeKnobs.SEGMENT_SIZE, "1MiB"));
        assertThat(s.mediumPageSize()).isEqualTo(1L << 20);
        assertThat(MimallocLikeSettings.from(Knobs.defaults()).mediumPageSize()).isEqualTo(2L << 20);
        assertThat(s.validation()).isEqualTo(ValidationMode.MINCORE_CACHED);
    }
}
