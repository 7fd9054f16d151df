package dev.slabworks.segfit;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knobs;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness finds the strategy the way it finds every strategy: ServiceLoader, then Guice. */
class SegregatedFitModuleTest {
    static {
        System.setProperty("guice_bytecode_gen_option", "DISABLED");
    }

    @Test
    void the_service_loaded_guice_module_registers_segregated_fit() {
        Module module = ServiceLoader.load(Module.class).stream()
                .filter(p -> p.type() == SegregatedFitModule.class).findFirst().orElseThrow().get();
        Map<String, AllocatorFactory> factories = Guice.createInjector(module)
                .getInstance(Key.get(new TypeLiteral<Map<String, AllocatorFactory>>() { }));
        assertThat(factories).containsOnlyKeys("segregated-fit");
        try (Allocator a = factories.get("segregated-fit").create(Knobs.defaults())) {
            assertThat(a.name()).isEqualTo("segregated-fit");
            a.free(a.allocate(10));
        }
    }
}
