package dev.slabworks.superslab;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

import java.util.List;

/** Makes {@link SuperSlabAllocator}s; registered with the harness as {@value #NAME}. */
public final class SuperSlabFactory implements AllocatorFactory {
    public static final String NAME = "superslab";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Knob> knobs() {
        return SuperSlabKnobs.all();
    }

    @Override
    public String description() {
        return "per-class SuperSlabs with an LRU of empty ones, prewarm and a per-thread front cache (the seed design)";
    }

    @Override
    public Allocator create(Knobs knobs) {
        return new SuperSlabAllocator(knobs);
    }
}
