package dev.slabworks.mimalloc;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.contract.AllocatorContractTest;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/** The contract suite in every configuration that takes mimalloc-like down a path of its own. */
@ParameterizedClass(name = "{0}")
@MethodSource("configurations")
class MimallocLikeContractTest extends AllocatorContractTest {
    static List<Configuration> configurations() {
        Knobs defaults = Knobs.defaults();
        return List.of(
                new Configuration("defaults: MINCORE_CACHED validation, 4 MiB segments, 64 KiB pages", defaults),
                new Configuration("MINCORE validation (the seed's mincore on every free)",
                        defaults.with(Knob.VALIDATION, "MINCORE")),
                new Configuration("REGISTRY validation (no syscall in free)", defaults.with(Knob.VALIDATION, "REGISTRY")),
                // many segments, many retirements, every edge
                new Configuration("one 64 KiB page per segment, purged at once, debug checks",
                        defaults.with(MimallocLikeKnobs.SEGMENT_SIZE, "64KiB").with(MimallocLikeKnobs.PAGE_SIZE, "64KiB")
                                .with(Knob.PURGE_DELAY_MS, 0).with(Knob.DEBUG_CHECKS, true)));
    }

    MimallocLikeContractTest(Configuration configuration) {
        super(configuration);
    }

    @Override
    protected AllocatorFactory factory() {
        return new MimallocLikeFactory();
    }
}
