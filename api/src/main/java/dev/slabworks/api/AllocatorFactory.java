package dev.slabworks.api;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;

import java.util.List;

/** Makes allocators of one strategy. The harness finds factories through Guice, by {@link #name()}. */
public interface AllocatorFactory {
    /** The registered name: {@code superslab}, {@code shared-pool}, {@code mimalloc-like}, ... */
    String name();

    /** One line saying what the strategy is. */
    String description();

    /**
     * The knobs this strategy declares itself (in a {@link dev.slabworks.api.knobs.KnobTable} of its own),
     * beyond api's {@link Knob#all()}, which it may read too. The harness registers them under {@link #name()}, so
     * they are listed by {@code slabworks knobs}, settable by {@code --set} and checked for clashes.
     */
    default List<Knob> knobs() {
        return List.of();
    }

    /** A new allocator configured by {@code knobs}. */
    Allocator create(Knobs knobs);
}
