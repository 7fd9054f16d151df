package dev.slabworks.superslab;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.contract.AllocatorContractTest.Configuration;
import dev.slabworks.testkit.contract.KernelFaultContractTest;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/** The kernel-fault suite: with prewarm (mmaps in the constructor), and with every emptied SuperSlab unmapped. */
@ParameterizedClass(name = "{0}")
@MethodSource("configurations")
class SuperSlabKernelFaultTest extends KernelFaultContractTest {
    static List<Configuration> configurations() {
        Knobs defaults = Knobs.defaults();
        return List.of(
                new Configuration("defaults: 2 MiB SuperSlabs, LRU 16, prewarm 4, front cache on", defaults),
                new Configuration("the seed's churn: no LRU, no prewarm, 64 KiB SuperSlabs, no direct-mapping cache",
                        defaults.with(Knob.SS_LRU_SIZE, 0).with(Knob.SS_PREWARM, 0).with(Knob.SS_SIZE, "64K")
                                .with(Knob.DIRECT_CACHE_COUNT, 0)));
    }

    SuperSlabKernelFaultTest(Configuration configuration) {
        super(configuration);
    }

    @Override
    protected AllocatorFactory factory() {
        return new SuperSlabFactory();
    }
}
