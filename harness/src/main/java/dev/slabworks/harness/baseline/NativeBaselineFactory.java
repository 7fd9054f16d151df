package dev.slabworks.harness.baseline;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;

/** Makes {@link NativeAllocator}s of one library, so a baseline runs exactly where a strategy does. */
public record NativeBaselineFactory(NativeLibrary library) implements AllocatorFactory {
    @Override
    public String name() {
        return library.baselineName();
    }

    @Override
    public String description() {
        return library.description();
    }

    @Override
    public Allocator create(Knobs knobs, Os os) {
        return new NativeAllocator(library, knobs, os);
    }
}
