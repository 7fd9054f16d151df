package dev.slabworks.sharedpool;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.contract.AllocatorContractTest.Configuration;
import dev.slabworks.testkit.contract.KernelFaultContractTest;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/** The kernel-fault suite: with prewarm, and with slabs purged and SuperSlabs unmapped as they come back. */
@ParameterizedClass(name = "{0}")
@MethodSource("configurations")
class SharedPoolKernelFaultTest extends KernelFaultContractTest {
    static List<Configuration> configurations() {
        Knobs defaults = Knobs.defaults();
        return List.of(
                new Configuration("defaults", defaults),
                new Configuration("no LRU, no prewarm, slabs purged at once, 256 KiB SuperSlabs, a small front cache",
                        defaults.with(Knob.SS_LRU_SIZE, 0).with(Knob.SS_PREWARM, 0).with(Knob.PURGE_DELAY_MS, 0)
                                .with(Knob.SS_SIZE, "256KiB").with(Knob.FC_CAP, 4).with(Knob.FC_REFILL, 2)));
    }

    SharedPoolKernelFaultTest(Configuration configuration) {
        super(configuration);
    }

    @Override
    protected AllocatorFactory factory() {
        return new SharedPoolFactory();
    }
}
