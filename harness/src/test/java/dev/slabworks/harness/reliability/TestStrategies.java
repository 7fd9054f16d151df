package dev.slabworks.harness.reliability;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.multibindings.MapBinder;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.harness.testing.DirectOnlyModule;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import dev.slabworks.harness.wiring.Strategies;

import java.util.List;
import java.util.Map;

/**
 * The strategies the reliability tests run against: every one Guice finds on the class path, plus
 * the api's test-only {@link DirectOnlyAllocator}; and, only when asked for, the deliberately broken
 * allocators of {@link BrokenAllocators}, which exist to prove the checks catch what they claim to.
 */
final class TestStrategies {
    private TestStrategies() {
    }

    /** Registers the test-only reference allocator, as a strategy module would. */
    static final class ReferenceModule extends AbstractModule {
        @Override
        protected void configure() {
            MapBinder.newMapBinder(binder(), String.class, AllocatorFactory.class)
                    .addBinding(DirectOnlyModule.NAME).toInstance(DirectOnlyModule.FACTORY); // the same instance: no clash
        }
    }

    /** Registers every broken allocator. */
    static final class BrokenModule extends AbstractModule {
        @Override
        protected void configure() {
            MapBinder<String, AllocatorFactory> b = MapBinder.newMapBinder(binder(), String.class, AllocatorFactory.class);
            for (AllocatorFactory f : BrokenAllocators.all()) {
                b.addBinding(f.name()).toInstance(f);
            }
        }
    }

    /** Real strategies plus the reference allocator. */
    static Injector injector() {
        return Strategies.injector(new ReferenceModule());
    }

    /** Real strategies, the reference allocator and the broken allocators. */
    static Injector withBroken() {
        return Strategies.injector(new ReferenceModule(), new BrokenModule());
    }

    /** Every correct factory: real strategies plus the reference allocator. */
    static List<AllocatorFactory> correct() {
        return List.copyOf(Strategies.factories(injector()).values());
    }

    static AllocatorFactory broken(String name) {
        Map<String, AllocatorFactory> all = Strategies.factories(withBroken());
        AllocatorFactory f = all.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no broken allocator " + name);
        }
        return f;
    }
}
