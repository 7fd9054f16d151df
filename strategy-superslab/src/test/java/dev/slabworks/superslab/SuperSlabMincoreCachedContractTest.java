package dev.slabworks.superslab;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.contract.AllocatorContractTest;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/** The contract suite with cached mincore validation and a small front cache that flushes often. */
class SuperSlabMincoreCachedContractTest extends AllocatorContractTest {
    @Override
    protected AllocatorFactory factory() {
        return new SuperSlabFactory();
    }

    @Override
    protected Knobs knobs() {
        return Knobs.defaults().with(Knob.VALIDATION, "MINCORE_CACHED").with(Knob.FC_CAP, 16).with(Knob.FC_REFILL, 4);
    }
}
