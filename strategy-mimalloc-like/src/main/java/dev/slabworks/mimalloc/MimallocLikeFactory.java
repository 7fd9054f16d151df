package dev.slabworks.mimalloc;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

import java.util.List;

/** Makes {@link MimallocLikeAllocator}s. */
public final class MimallocLikeFactory implements AllocatorFactory {
    @Override
    public String name() {
        return MimallocLikeAllocator.NAME;
    }

    @Override
    public List<Knob> knobs() {
        return MimallocLikeKnobs.all();
    }

    @Override
    public String description() {
        return "mimalloc-style segments and pages with sharded free lists, per-thread heaps, mincore-cached free path";
    }

    @Override
    public Allocator create(Knobs knobs) {
        return new MimallocLikeAllocator(knobs);
    }
}
