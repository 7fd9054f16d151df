package dev.slabworks.testkit.reference;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.contract.AllocatorContractTest.Configuration;
import dev.slabworks.testkit.contract.KernelFaultContractTest;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/** The kernel-fault suite against the reference allocator: proves the suite passes a correct implementation. */
@ParameterizedClass(name = "{0}")
@MethodSource("configurations")
class DirectOnlyKernelFaultTest extends KernelFaultContractTest {
    static List<Configuration> configurations() {
        return List.of(new Configuration("every block its own mapping, cached when freed", Knobs.defaults()),
                new Configuration("no direct-mapping cache: every free unmaps", Knobs.defaults().with(Knob.DIRECT_CACHE_COUNT, 0)));
    }

    DirectOnlyKernelFaultTest(Configuration configuration) {
        super(configuration);
    }

    @Override
    protected AllocatorFactory factory() {
        return DirectOnlyAllocator.FACTORY;
    }
}
