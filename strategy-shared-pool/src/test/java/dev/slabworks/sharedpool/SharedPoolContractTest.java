package dev.slabworks.sharedpool;

import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.knobs.Preset;
import dev.slabworks.testkit.contract.AllocatorContractTest;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/** The contract suite in every configuration that takes shared-pool down a path of its own. */
@ParameterizedClass(name = "{0}")
@MethodSource("configurations")
class SharedPoolContractTest extends AllocatorContractTest {
    static List<Configuration> configurations() {
        Knobs defaults = Knobs.defaults();
        return List.of(
                new Configuration("defaults", defaults),
                new Configuration("no front cache: blocks straight to and from the slabs",
                        defaults.with(Knob.FC_CAP, "0").with(Knob.SS_SIZE, "256KiB")),
                new Configuration("MINCORE_CACHED validation", defaults.with(Knob.VALIDATION, "MINCORE_CACHED")),
                new Configuration("MINCORE validation", defaults.with(Knob.VALIDATION, "MINCORE")),
                new Configuration("no LRU, no prewarm: every SuperSlab that empties is unmapped at once",
                        defaults.with(Knob.SS_LRU_SIZE, "0").with(Knob.SS_PREWARM, "0")),
                new Configuration("free slabs purged the moment they come back, with MADV_FREE",
                        defaults.with(Knob.PURGE_DELAY_MS, "0").with(Knob.PURGE_ADVICE, "FREE")
                                .with(Knob.SS_SIZE, "256KiB").with(Knob.FC_CAP, "4").with(Knob.FC_REFILL, "2")),
                new Configuration("256 KiB SuperSlabs of four slabs, debug checks: slabs change hands all the time",
                        defaults.with(Knob.SS_SIZE, "256KiB").with(Knob.DEBUG_CHECKS, "true")),
                // a mid block is unmapped by its free: its second free is FOREIGN
                new Configuration("the seed preset: blocks above 1023 bytes mapped one by one, checked with mincore",
                        Knobs.defaults(Preset.SEED), false),
                new Configuration("a pooled mid path above 1000 bytes, advised on free, MINCORE_CACHED",
                        defaults.with(Knob.SMALL_MAX, 1000).with(Knob.MID_POLICY, "POOLED").with(Knob.MID_MADVISE, true)
                                .with(Knob.MID_VALIDATION, "MINCORE_CACHED").with(Knob.MID_CHUNK_SIZE, "64KiB")));
    }

    SharedPoolContractTest(Configuration configuration) {
        super(configuration);
    }

    @Override
    protected AllocatorFactory factory() {
        return new SharedPoolFactory();
    }
}
