package dev.slabworks.sharedpool;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.slabworks.api.AllocatorFactory;

/** Registers the {@code shared-pool} strategy with the harness (found through {@code META-INF/services}). */
public final class SharedPoolModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, AllocatorFactory.class)
                .addBinding(SharedPoolFactory.NAME).to(SharedPoolFactory.class);
    }
}
