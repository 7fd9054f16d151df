package dev.slabworks.segfit;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;

import java.util.List;

/** Makes {@link SegregatedFitAllocator}s; registered with the harness as {@value #NAME}. */
public final class SegregatedFitFactory implements AllocatorFactory {
    public static final String NAME = "segregated-fit";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the template: per-class free lists in chunks of one class, behind one lock";
    }

    /** The knobs this strategy declares itself; it reads api's too. */
    @Override
    public List<Knob> knobs() {
        return SegregatedFitKnobs.all();
    }

    @Override
    public Allocator create(Knobs knobs, Os os) {
        return new SegregatedFitAllocator(knobs, os);
    }
}
