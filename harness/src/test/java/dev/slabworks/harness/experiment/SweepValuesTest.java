package dev.slabworks.harness.experiment;

import dev.slabworks.api.knobs.KnobRegistry;
import dev.slabworks.harness.wiring.Strategies;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SweepValuesTest {
    static final KnobRegistry REGISTRY = Strategies.resolveKnobs(Map.of()).registry();

    @Test
    void aListIsCheckedAndCanonicalAndDropsRepeats() {
        assertThat(SweepValues.parse(REGISTRY, "ss.lru.size", "0, 4,16,4")).containsExactly("0", "4", "16");
        assertThat(SweepValues.parse(REGISTRY, "validation", "registry,MINCORE")).containsExactly("REGISTRY", "MINCORE");
        assertThat(SweepValues.parse(REGISTRY, "HAKMEM_SS_LRU_SIZE", "1,2")).as("by environment name").containsExactly("1", "2");
    }

    @Test
    void aMultiplyingRangeFromZeroGoesOnAtOne() {
        assertThat(SweepValues.parse(REGISTRY, "ss.lru.size", "0..64:x2")).containsExactly("0", "1", "2", "4", "8", "16", "32", "64");
        assertThat(SweepValues.parse(REGISTRY, "ss.lru.size", "0..64:x4")).containsExactly("0", "1", "4", "16", "64");
    }

    @Test
    void anAddingRangeStopsAtOrBelowItsEndAndRangesAndValuesMix() {
        assertThat(SweepValues.parse(REGISTRY, "fc.cap", "0..64:+16")).containsExactly("0", "16", "32", "48", "64");
        assertThat(SweepValues.parse(REGISTRY, "fc.cap", "1..3")).containsExactly("1", "2", "3");
        assertThat(SweepValues.parse(REGISTRY, "fc.cap", "0..30:+16,1024")).containsExactly("0", "16", "1024");
    }

    @Test
    void aSizeRangeTakesSuffixes() {
        assertThat(SweepValues.parse(REGISTRY, "page.size", "64K..1M:x2"))
                .containsExactly("65536", "131072", "262144", "524288", "1048576");
        assertThat(SweepValues.parse(REGISTRY, "direct.cache.bytes", "0..128K:+64K")).containsExactly("0", "65536", "131072");
    }

    @Test
    void isSweepTellsAListOrARangeFromOneValue() {
        assertThat(SweepValues.isSweep("0,4")).isTrue();
        assertThat(SweepValues.isSweep("0..4")).isTrue();
        assertThat(SweepValues.isSweep("2.5")).isFalse();
        assertThat(SweepValues.isSweep("64K")).isFalse();
    }

    @Test
    void badSweepsSayWhatIsWrong() {
        assertThatThrownBy(() -> SweepValues.parse(REGISTRY, "validation", "0..4")).hasMessageContaining("range '0..4' needs a knob "
                + "of whole numbers or sizes; validation is choice: list its values instead");
        assertThatThrownBy(() -> SweepValues.parse(REGISTRY, "fc.cap", "64..0")).hasMessageContaining("ends below its start");
        assertThatThrownBy(() -> SweepValues.parse(REGISTRY, "fc.cap", "0..64:x1")).hasMessageContaining("at least x2");
        assertThatThrownBy(() -> SweepValues.parse(REGISTRY, "fc.cap", "0..64:+0")).hasMessageContaining("at least +1");
        assertThatThrownBy(() -> SweepValues.parse(REGISTRY, "fc.cap", "0..60000")).hasMessageContaining("more than 1000 values");
        assertThatThrownBy(() -> SweepValues.parse(REGISTRY, "fc.cap", "1,,2")).hasMessageContaining("empty value");
        assertThatThrownBy(() -> SweepValues.parse(REGISTRY, "page.size", "64K..256K:+64K"))
                .as("192K is no power of two").hasMessageContaining("a power of two");
        assertThatThrownBy(() -> SweepValues.parse(REGISTRY, "ss.lru.size", "0,x")).hasMessageContaining("cannot be 'x'");
        assertThatThrownBy(() -> SweepValues.parse(REGISTRY, "no.such", "1,2")).hasMessageContaining("no knob named 'no.such'");
    }
}
