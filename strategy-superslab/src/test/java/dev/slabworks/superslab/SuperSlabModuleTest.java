package dev.slabworks.superslab;

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
class SuperSlabModuleTest {
    static {
        System.setProperty("guice_bytecode_gen_option", "DISABLED");
    }

    @Test
    void the_service_loaded_guice_module_registers_superslab() {
        Module module = ServiceLoader.load(Module.class).stream()
                .filter(p -> p.type() == SuperSlabModule.class).findFirst().orElseThrow().get();
        Map<String, AllocatorFactory> factories = Guice.createInjector(module)
                .getInstance(Key.get(new TypeLiteral<Map<String, AllocatorFactory>>() { }));
        assertThat(factories).containsOnlyKeys("superslab");
        AllocatorFactory f = factories.get("superslab");
        assertThat(f.name()).isEqualTo("superslab");
        try (Allocator a = f.create(Knobs.defaults())) {
            assertThat(a.name()).isEqualTo("superslab");
            a.free(a.allocate(10));
        }
    }
}
