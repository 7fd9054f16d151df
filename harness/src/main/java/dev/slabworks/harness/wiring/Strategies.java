package dev.slabworks.harness.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.KnobRegistry;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.knobs.HarnessKnobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The harness's one view of the strategies: every Guice {@link Module} on the class path that a
 * strategy module declares in {@code META-INF/services/com.google.inject.Module} contributes a
 * {@code MapBinder<String, AllocatorFactory>} entry. A new strategy is a new module and one binding;
 * nothing here names it. Strategies in jars of their own join them the same way ({@link Plugins}).
 */
public final class Strategies {
    static {
        // Guice's runtime bytecode generation reaches for sun.misc.Unsafe, which JDK 24+ warns about;
        // slabworks needs none of it (no AOP), so plain reflection it is.
        System.setProperty("guice_bytecode_gen_option", "DISABLED");
    }

    private Strategies() {
    }

    /** An empty map is a valid answer when no strategy module is on the class path. */
    static final Module EMPTY_MAP = new AbstractModule() {
        @Override
        protected void configure() {
            MapBinder.newMapBinder(binder(), String.class, AllocatorFactory.class);
        }
    };

    /**
     * The injector over every discovered module plus {@code extra}, plus the strategies of the plugin jars
     * ({@link Plugins}); a broken plugin, or one whose strategy or knob takes a name already taken, is a
     * {@link Plugins.PluginException} naming the jar.
     */
    public static Injector injector(Module... extra) {
        List<Module> modules = new ArrayList<>();
        modules.add(EMPTY_MAP);
        ServiceLoader.load(Module.class).forEach(modules::add);
        modules.addAll(List.of(extra));
        List<Plugins.Plugin> plugins = Plugins.load();
        if (!plugins.isEmpty()) {
            modules.add(Plugins.module(plugins, factories(Guice.createInjector(modules))));
        }
        return Guice.createInjector(modules);
    }

    /** Every registered factory by name, sorted. */
    public static Map<String, AllocatorFactory> factories(Injector injector) {
        return new TreeMap<>(injector.getInstance(Key.get(new TypeLiteral<Map<String, AllocatorFactory>>() { })));
    }

    /**
     * The program's knobs: api's, the harness's, then each strategy's under its name, in name order. Two
     * strategies (or a strategy and the harness) declaring one name is a {@link dev.slabworks.api.knobs.KnobException}
     * naming both.
     */
    public static KnobRegistry knobRegistry(Map<String, AllocatorFactory> factories) {
        KnobRegistry.Builder registry = KnobRegistry.builder().add("harness", HarnessKnobs.all());
        new TreeMap<>(factories).forEach((name, factory) -> registry.add(name, factory.knobs()));
        return registry.build();
    }

    /**
     * The knob snapshot of a command that makes no contenders ({@code knobs}, {@code compare}, the reliability
     * campaigns): {@code commandLine} over system properties over the environment over defaults, over every
     * discovered strategy's knobs.
     */
    public static Knobs resolveKnobs(Map<String, String> commandLine) {
        return resolveKnobs(commandLine, null);
    }

    /** {@link #resolveKnobs(Map)} with {@code preset} (null: none) under the command line's values. */
    public static Knobs resolveKnobs(Map<String, String> commandLine, dev.slabworks.api.knobs.Preset preset) {
        return Knobs.resolve(knobRegistry(factories(injector())), commandLine, preset);
    }
}
