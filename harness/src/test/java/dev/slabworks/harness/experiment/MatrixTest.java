package dev.slabworks.harness.experiment;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.harness.bench.ContenderSetup;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MatrixTest {
    static final Contender A = new Contender("a", Contender.Kind.STRATEGY, "x", DirectOnlyAllocator.FACTORY, null);
    static final Contender B = new Contender("b", Contender.Kind.STRATEGY, "x", DirectOnlyAllocator.FACTORY, null);

    static Map<String, List<String>> sweeps(Object... keyAndValues) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < keyAndValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>) keyAndValues[i + 1];
            out.put((String) keyAndValues[i], values);
        }
        return out;
    }

    @Test
    void everyContenderAtEveryPointOfTheProductTheFirstKnobSlowest() {
        List<ContenderSetup> rows = Matrix.build(SweepValuesTest.REGISTRY, List.of(Matrix.Entry.of(A), new Matrix.Entry(B, "bee", Map.of())),
                List.of(), sweeps("ss.lru.size", List.of("0", "4"), "fc.cap", List.of("16", "64", "256")), 100, false);
        assertThat(rows).hasSize(12);
        assertThat(rows).extracting(ContenderSetup::label).startsWith(
                "a ss.lru.size=0 fc.cap=16", "a ss.lru.size=0 fc.cap=64", "a ss.lru.size=0 fc.cap=256",
                "a ss.lru.size=4 fc.cap=16").contains("bee ss.lru.size=4 fc.cap=256");
        ContenderSetup last = rows.getLast();
        assertThat(last.contender()).isSameAs(B);
        assertThat(last.knobs().intValue(Knob.SS_LRU_SIZE)).isEqualTo(4);
        assertThat(last.knobs().intValue(Knob.FC_CAP)).isEqualTo(256);
        assertThat(last.variant().point()).containsExactly(Map.entry("ss.lru.size", "4"), Map.entry("fc.cap", "256"));
        assertThat(last.sets()).containsExactly("ss.lru.size=4", "fc.cap=256");
    }

    @Test
    void laterLayersWinAndEveryKnobSaysWhereItCameFrom() {
        List<ContenderSetup> rows = Matrix.build(SweepValuesTest.REGISTRY, 
                List.of(new Matrix.Entry(A, "a", Map.of("HAKMEM_FC_REFILL", "8", "ss.prewarm", "1"))),
                List.of(new Matrix.Layer("experiment", Map.of("fc.cap", "32", "ss.prewarm", "2", "ss.lru.size", "3")),
                        new Matrix.Layer("--set", Map.of("fc.cap", "48"))),
                sweeps("ss.lru.size", List.of("0", "1")), 100, false);
        ContenderSetup r = rows.getFirst();
        assertThat(r.knobs().intValue(Knob.FC_CAP)).isEqualTo(48);
        assertThat(r.knobs().intValue(Knob.SS_PREWARM)).isEqualTo(1);
        assertThat(r.knobs().intValue(Knob.SS_LRU_SIZE)).as("swept over the layer").isZero();
        assertThat(r.variant().sources()).containsEntry("fc.cap", "--set").containsEntry("ss.prewarm", "contender")
                .containsEntry("fc.refill", "contender").containsEntry("ss.lru.size", "sweep")
                .containsEntry("ss.size", "default");
        assertThat(r.label()).isEqualTo("a ss.lru.size=0");
    }

    @Test
    void aSweptSizeIsLabelledWithItsSuffixAndSetInBytes() {
        List<ContenderSetup> rows = Matrix.build(SweepValuesTest.REGISTRY, List.of(Matrix.Entry.of(A)), List.of(),
                sweeps("page.size", List.of("65536", "1048576")), 10, false);
        assertThat(rows).extracting(ContenderSetup::label).containsExactly("a page.size=64K", "a page.size=1M");
        assertThat(rows.getLast().variant().point()).containsEntry("page.size", "1M");
        assertThat(rows.getLast().knobs().effective()).containsEntry("page.size", "1048576");
    }

    @Test
    void withoutASweepEachContenderIsOneRowUnderItsLabel() {
        List<ContenderSetup> rows = Matrix.build(SweepValuesTest.REGISTRY, List.of(Matrix.Entry.of(A), Matrix.Entry.of(B)), List.of(), Map.of(),
                10, false);
        assertThat(rows).extracting(ContenderSetup::label).containsExactly("a", "b");
        assertThat(rows.getFirst().variant().point()).isEmpty();
    }

    @Test
    void moreRowsThanTheLimitAreRefusedSayingHowMany() {
        assertThatThrownBy(() -> Matrix.build(SweepValuesTest.REGISTRY, List.of(Matrix.Entry.of(A), Matrix.Entry.of(B)), List.of(),
                sweeps("fc.cap", List.of("1", "2", "3")), 5, false))
                .hasMessage("6 rows (3 values of fc.cap x 2 contenders) is more than the knob sweep.limit allows (5): "
                        + "sweep fewer values, or raise it with --set sweep.limit=6");
    }

    @Test
    void aKnobReadOncePerJvmMaySwitchOnlyInJvmsOfTheirOwn() {
        String other = Boolean.toString(!Boolean.parseBoolean(dev.slabworks.api.knobs.Knobs.perJvm(Knob.STATS)));
        Map<String, List<String>> stats = sweeps("stats", List.of(other));
        assertThatThrownBy(() -> Matrix.build(SweepValuesTest.REGISTRY, List.of(Matrix.Entry.of(A)), List.of(), stats, 10, false))
                .hasMessageContaining("knob stats is read once per JVM").hasMessageContaining("--forks");
        assertThat(Matrix.build(SweepValuesTest.REGISTRY, List.of(Matrix.Entry.of(A)), List.of(), stats, 10, true)).hasSize(1);
    }
}
