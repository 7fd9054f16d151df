package dev.slabworks.superslab;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.slabworks.api.AllocatorFactory;

/** Registers the superslab strategy with the harness (found through {@code META-INF/services}). */
public final class SuperSlabModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, AllocatorFactory.class)
                .addBinding(SuperSlabFactory.NAME).to(SuperSlabFactory.class);
    }
}
