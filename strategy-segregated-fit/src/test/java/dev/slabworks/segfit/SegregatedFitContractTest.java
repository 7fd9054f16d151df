package dev.slabworks.segfit;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.contract.AllocatorContractTest;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/** The contract suite in every configuration that takes segregated-fit down a path of its own. */
@ParameterizedClass(name = "{0}")
@MethodSource("configurations")
class SegregatedFitContractTest extends AllocatorContractTest {
    static List<Configuration> configurations() {
        Knobs defaults = Knobs.defaults();
        return List.of(
                new Configuration("defaults: 256 KiB chunks, 4 empty chunks kept", defaults),
                // an emptied chunk is unmapped at once: a second free of its last block is FOREIGN
                new Configuration("64 KiB chunks, none kept empty, invariants checked",
                        defaults.with(SegregatedFitKnobs.CHUNK_SIZE, "64K").with(SegregatedFitKnobs.EMPTY_CHUNKS, 0)
                                .with(Knob.DEBUG_CHECKS, true), false),
                // the invalid-free tests run in every validation mode in each configuration; this one takes every other
                // test through the per-thread cache too
                new Configuration("MINCORE_CACHED validation", defaults.with(Knob.VALIDATION, "MINCORE_CACHED")));
    }

    SegregatedFitContractTest(Configuration configuration) {
        super(configuration);
    }

    @Override
    protected AllocatorFactory factory() {
        return new SegregatedFitFactory();
    }
}
