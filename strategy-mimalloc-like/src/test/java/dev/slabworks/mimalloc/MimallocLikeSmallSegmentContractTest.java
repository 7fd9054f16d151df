package dev.slabworks.mimalloc;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

/**
 * The contract suite with one page per segment (64 KiB each), purging at once, and the layout
 * invariants checked on every slow-path step: many segments, many retirements, every edge.
 */
class MimallocLikeSmallSegmentContractTest extends MimallocLikeContractTest {
    @Override
    protected Knobs knobs() {
        return Knobs.defaults()
                .with(Knob.SEGMENT_SIZE, "64KiB")
                .with(Knob.PAGE_SIZE, "64KiB")
                .with(Knob.PURGE_DELAY_MS, 0)
                .with(Knob.DEBUG_CHECKS, true);
    }
}
