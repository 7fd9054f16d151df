package dev.slabworks.harness.wiring;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.harness.testing.DirectOnlyModule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContendersTest {
    private final Contenders contenders = Contenders.create(Map.of("fc.cap", "64"));

    @Test
    void strategiesComeFromGuiceAndBaselinesFollowThem() {
        List<Contender> all = contenders.all();
        assertThat(all).extracting(Contender::name).contains(DirectOnlyModule.NAME, "glibc", "jemalloc", "mimalloc", "tcmalloc");
        assertThat(all.getFirst().kind()).isEqualTo(Contender.Kind.STRATEGY);
        assertThat(all.stream().filter(c -> c.kind() == Contender.Kind.BASELINE).map(Contender::name))
                .containsExactly("glibc", "jemalloc", "mimalloc", "tcmalloc");
    }

    @Test
    void allMeansEveryStrategyAndEveryUsableBaseline() {
        List<Contender> all = contenders.select(List.of("all"));
        assertThat(all).extracting(Contender::name).contains(DirectOnlyModule.NAME, "glibc");
        assertThat(all).allMatch(Contender::available);
    }

    @Test
    void namesAreKeptInOrderWithoutDuplicates() {
        assertThat(contenders.select(List.of("glibc", DirectOnlyModule.NAME, "glibc")))
                .extracting(Contender::name).containsExactly("glibc", DirectOnlyModule.NAME);
    }

    @Test
    void anUnknownNameListsWhatIsAccepted() {
        assertThatThrownBy(() -> contenders.select(List.of("superslob")))
                .hasMessageStartingWith("unknown strategy 'superslob'; accepted: all, ")
                .hasMessageContaining(DirectOnlyModule.NAME).hasMessageContaining("glibc");
    }

    @Test
    void theKnobSnapshotIsTheOneGivenOnTheCommandLine() {
        assertThat(contenders.knobs().intValue(Knob.FC_CAP)).isEqualTo(64);
    }
}
