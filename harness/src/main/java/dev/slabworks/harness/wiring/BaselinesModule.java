package dev.slabworks.harness.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.slabworks.harness.baseline.NativeLibrary;

/** Binds every native baseline by name, installed or not ({@link Contenders} tells them apart). */
public final class BaselinesModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, NativeLibrary> baselines = MapBinder.newMapBinder(binder(), String.class, NativeLibrary.class);
        for (NativeLibrary library : NativeLibrary.values()) {
            baselines.addBinding(library.baselineName()).toInstance(library);
        }
    }
}
