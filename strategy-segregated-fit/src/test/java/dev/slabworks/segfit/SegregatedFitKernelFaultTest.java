package dev.slabworks.segfit;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.contract.AllocatorContractTest.Configuration;
import dev.slabworks.testkit.contract.KernelFaultContractTest;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/** The kernel-fault suite: as configured by default, and with every emptied chunk and direct block unmapped at once. */
@ParameterizedClass(name = "{0}")
@MethodSource("configurations")
class SegregatedFitKernelFaultTest extends KernelFaultContractTest {
    static List<Configuration> configurations() {
        Knobs defaults = Knobs.defaults();
        return List.of(
                new Configuration("defaults", defaults),
                new Configuration("nothing kept: no empty chunks, no direct-mapping cache",
                        defaults.with(SegregatedFitKnobs.EMPTY_CHUNKS, 0).with(Knob.DIRECT_CACHE_COUNT, 0)));
    }

    SegregatedFitKernelFaultTest(Configuration configuration) {
        super(configuration);
    }

    @Override
    protected AllocatorFactory factory() {
        return new SegregatedFitFactory();
    }
}
