package dev.slabworks.harness.testing;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;

/**
 * Test-only strategy module: registers api's {@code DirectOnlyAllocator} as "direct-only" the way a
 * strategy module does (a MapBinder entry listed in META-INF/services), so the commands are tested
 * against a real strategy with visible syscalls before the real strategies land. With {@code debug.checks}
 * on it is slowed on purpose ({@link SlowChecksFactory}), for the tests of {@code compare}.
 */
public final class DirectOnlyModule extends AbstractModule {
    public static final String NAME = "direct-only";
    /** The one factory registered under {@link #NAME}: a module that registers it too must bind this instance. */
    public static final AllocatorFactory FACTORY = new SlowChecksFactory(DirectOnlyAllocator.FACTORY);

    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, AllocatorFactory.class)
                .addBinding(NAME).toInstance(FACTORY);
    }
}
