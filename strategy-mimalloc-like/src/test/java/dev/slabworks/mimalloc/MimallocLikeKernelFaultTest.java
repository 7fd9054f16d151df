package dev.slabworks.mimalloc;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.contract.AllocatorContractTest.Configuration;
import dev.slabworks.testkit.contract.KernelFaultContractTest;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/** The kernel-fault suite: by default, and with pages purged and segments unmapped as they empty. */
@ParameterizedClass(name = "{0}")
@MethodSource("configurations")
class MimallocLikeKernelFaultTest extends KernelFaultContractTest {
    static List<Configuration> configurations() {
        Knobs defaults = Knobs.defaults();
        return List.of(
                new Configuration("defaults", defaults),
                new Configuration("pages purged at once, no LRU of empty segments",
                        defaults.with(Knob.PURGE_DELAY_MS, 0).with(Knob.SS_LRU_SIZE, 0)));
    }

    MimallocLikeKernelFaultTest(Configuration configuration) {
        super(configuration);
    }

    @Override
    protected AllocatorFactory factory() {
        return new MimallocLikeFactory();
    }
}
