package dev.slabworks.superslab;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.knobs.Preset;
import dev.slabworks.testkit.contract.AllocatorContractTest;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/** The contract suite in every configuration that takes superslab down a path of its own. */
@ParameterizedClass(name = "{0}")
@MethodSource("configurations")
class SuperSlabContractTest extends AllocatorContractTest {
    static List<Configuration> configurations() {
        Knobs defaults = Knobs.defaults();
        return List.of(
                new Configuration("defaults: 2 MiB SuperSlabs, LRU 16, prewarm 4, front cache on", defaults),
                // an emptied SuperSlab is unmapped at once: a second free of its last block is FOREIGN
                new Configuration("the seed's churn: no LRU, no prewarm, 64 KiB SuperSlabs",
                        defaults.with(Knob.SS_LRU_SIZE, 0).with(Knob.SS_PREWARM, 0).with(Knob.SS_SIZE, "64K"), false),
                new Configuration("no front cache (fc.cap 0)", defaults.with(Knob.FC_CAP, 0)),
                new Configuration("front-direct off: allocate and free straight to the slab free lists",
                        defaults.with(Knob.TINY_FRONT_DIRECT, false)),
                new Configuration("MINCORE_CACHED validation, a small front cache that flushes often",
                        defaults.with(Knob.VALIDATION, "MINCORE_CACHED").with(Knob.FC_CAP, 16).with(Knob.FC_REFILL, 4)),
                new Configuration("the seed's mincore-first validation (MINCORE)", defaults.with(Knob.VALIDATION, "MINCORE")),
                // a mid block is unmapped by its free: its second free is FOREIGN
                new Configuration("the seed preset: blocks above 1023 bytes mapped one by one, checked with mincore",
                        Knobs.defaults(Preset.SEED), false));
    }

    SuperSlabContractTest(Configuration configuration) {
        super(configuration);
    }

    @Override
    protected AllocatorFactory factory() {
        return new SuperSlabFactory();
    }
}
