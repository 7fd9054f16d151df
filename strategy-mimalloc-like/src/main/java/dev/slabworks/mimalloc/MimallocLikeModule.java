package dev.slabworks.mimalloc;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.slabworks.api.AllocatorFactory;

/** Registers {@code mimalloc-like} with the harness (found through {@code META-INF/services}). */
public final class MimallocLikeModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, AllocatorFactory.class)
                .addBinding(MimallocLikeAllocator.NAME).toInstance(new MimallocLikeFactory());
    }
}
