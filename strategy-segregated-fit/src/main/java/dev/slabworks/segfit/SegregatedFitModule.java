package dev.slabworks.segfit;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.slabworks.api.AllocatorFactory;

/** Registers the segregated-fit strategy with the harness (found through {@code META-INF/services}). */
public final class SegregatedFitModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, AllocatorFactory.class)
                .addBinding(SegregatedFitFactory.NAME).to(SegregatedFitFactory.class);
    }
}
