package dev.slabworks.harness.reliability;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.testkit.campaign.HostileFreeCampaign;
import dev.slabworks.testkit.campaign.HostileFreeCampaign.Report;
import dev.slabworks.testkit.campaign.HostileFreeCampaign.Throw;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.knobs.Preset;
import dev.slabworks.api.validate.ValidationMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A short hostile-free campaign per strategy and validation mode, and proof that it catches broken allocators. */
class HostileCampaignTest {
    private static final int FREES = 20_000;
    private static final int LIVE = 200;

    static Stream<Arguments> strategiesAndModes() {
        List<Arguments> out = new ArrayList<>();
        for (AllocatorFactory f : TestStrategies.correct()) {
            for (ValidationMode m : ValidationMode.values()) {
                out.add(Arguments.of(f.name(), m));
            }
        }
        return out.stream();
    }

    private static Report campaign(AllocatorFactory f, ValidationMode mode, long frees) {
        return HostileFreeCampaign.run(f, Knobs.defaults().with(Knob.VALIDATION, mode), frees, LIVE, 500, 42);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("strategiesAndModes")
    void every_invalid_free_is_rejected_and_no_live_block_changes(String strategy, ValidationMode mode) {
        AllocatorFactory f = TestStrategies.correct().stream().filter(x -> x.name().equals(strategy)).findFirst().orElseThrow();
        Report r = campaign(f, mode, FREES);
        assertThat(r.failures()).as("failures of %s in %s", strategy, mode).isEmpty();
        long thrown = r.thrown().values().stream().mapToLong(Long::longValue).sum();
        assertThat(thrown).isEqualTo(FREES);
        assertThat(r.caught().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(thrown);
        assertThat(r.thrown()).allSatisfy((t, n) -> assertThat(n).as("%s thrown", t).isPositive());
        assertThat(r.caught().get(Kind.FOREIGN)).isPositive();
        assertThat(r.caught().get(Kind.INTERIOR)).isPositive();
        assertThat(r.validAllocations()).isGreaterThan(FREES / 8);
        assertThat(r.verifications()).isGreaterThan((long) LIVE * (FREES / 500));
    }

    static Stream<String> strategies() {
        return TestStrategies.correct().stream().map(AllocatorFactory::name);
    }

    /** With no LRU, an emptied SuperSlab or segment is unmapped at once: recently freed addresses turn stale. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void frees_into_memory_unmapped_since_are_rejected_when_nothing_is_kept_mapped(String strategy) {
        AllocatorFactory f = TestStrategies.correct().stream().filter(x -> x.name().equals(strategy)).findFirst().orElseThrow();
        Knobs noCache = Knobs.defaults().with(Knob.SS_LRU_SIZE, 0).with(Knob.SS_PREWARM, 0).with(Knob.PURGE_DELAY_MS, 0);
        Report r = HostileFreeCampaign.run(f, noCache, FREES / 2, LIVE, 500, 43);
        assertThat(r.failures()).as("failures of %s without LRU", strategy).isEmpty();
        assertThat(r.thrown().get(Throw.DOUBLE) + r.thrown().get(Throw.STALE_UNMAPPED)).isPositive();
    }

    /** The seed preset: blocks of 1024 bytes to 32 KiB each their own mapping, unmapped by their free. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void with_the_seed_presets_mid_path_every_invalid_free_is_still_rejected(String strategy) {
        AllocatorFactory f = TestStrategies.correct().stream().filter(x -> x.name().equals(strategy)).findFirst().orElseThrow();
        Report r = HostileFreeCampaign.run(f, Knobs.defaults(Preset.SEED), FREES / 2, LIVE, 500, 44);
        assertThat(r.failures()).as("failures of %s with the seed preset", strategy).isEmpty();
        assertThat(r.caught().get(Kind.INTERIOR)).isPositive();
    }

    @Test
    void an_allocator_that_accepts_a_double_free_fails_the_campaign() {
        Report r = campaign(TestStrategies.broken(BrokenAllocators.ACCEPTS_DOUBLE_FREE), ValidationMode.REGISTRY, 5_000);
        assertThat(r.passed()).isFalse();
        assertThat(r.acceptedInvalidFrees()).isPositive();
        assertThat(r.failures()).anyMatch(l -> l.startsWith(Throw.DOUBLE + " free(") && l.endsWith("was accepted"));
    }

    @Test
    void an_allocator_that_writes_into_a_live_block_on_an_interior_free_fails_the_campaign() {
        Report r = campaign(TestStrategies.broken(BrokenAllocators.CORRUPTS_NEIGHBOUR), ValidationMode.MINCORE, 5_000);
        assertThat(r.passed()).isFalse();
        assertThat(r.corruptedBlocks()).isPositive();
        assertThat(r.acceptedInvalidFrees()).isZero();
        assertThat(r.failures()).anyMatch(l -> l.contains("corrupted at byte"));
    }

    @Test
    void an_allocator_that_loses_frees_fails_the_stats_check() {
        Report r = campaign(TestStrategies.broken(BrokenAllocators.LOSES_FREES), ValidationMode.REGISTRY, 5_000);
        assertThat(r.passed()).isFalse();
        assertThat(r.failures()).anyMatch(l -> l.startsWith("allocations - frees"));
    }

    @Test
    void an_allocator_that_leaks_on_close_fails_the_close_check() {
        Report r = campaign(TestStrategies.broken(BrokenAllocators.LEAKS_ON_CLOSE), ValidationMode.REGISTRY, 1_000);
        assertThat(r.failures()).anyMatch(l -> l.startsWith("close() left"));
    }
}
