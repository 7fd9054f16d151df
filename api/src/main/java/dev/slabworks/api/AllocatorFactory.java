package dev.slabworks.api;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;

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

    /**
     * A new allocator configured by {@code knobs} that makes every kernel call through {@code os} (and no other:
     * a test's {@code Os} over a failing kernel reaches every call). {@code os} must be fresh and is the
     * allocator's from then on: its counters are the allocator's syscall rows. If making the allocator fails (a
     * prewarm's {@code mmap} refused, a bad knob), whatever it mapped through {@code os} is unmapped first.
     */
    Allocator create(Knobs knobs, Os os);

    /** A new allocator configured by {@code knobs}, over the C library's kernel. */
    default Allocator create(Knobs knobs) {
        return create(knobs, new Os());
    }
}
