package dev.slabworks.sharedpool;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

import java.util.List;

/** Makes {@link SharedPoolAllocator}s; registered with the harness as {@value #NAME}. */
public final class SharedPoolFactory implements AllocatorFactory {
    public static final String NAME = "shared-pool";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Knob> knobs() {
        return SharedPoolKnobs.all();
    }

    @Override
    public String description() {
        return "Phase 12: SuperSlabs shared by all size classes, slabs assigned on demand, fullest first";
    }

    @Override
    public Allocator create(Knobs knobs) {
        return new SharedPoolAllocator(knobs);
    }
}
