package dev.slabworks.harness.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Module;
import com.google.inject.multibindings.MapBinder;
import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.KnobException;
import dev.slabworks.api.knobs.KnobRegistry;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.knobs.HarnessKnobs;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;

/**
 * Strategies from jars built outside this repository against the published {@code api} (docs/writing-a-strategy.md,
 * "A strategy in a jar of its own"). Each jar gets a class loader of its own whose parent is the harness's, and its
 * strategies are found as the built-in ones are: the Guice modules its {@code META-INF/services/com.google.inject.Module}
 * names (those of the jar itself, not of the class path it sees), each adding {@code AllocatorFactory} entries to a
 * {@code MapBinder<String, AllocatorFactory>}.
 *
 * <p>Which jars: those given with {@code --plugin JAR} (held for the command in the system property
 * {@value #PROPERTY}, which child JVMs are given too) and those in the environment variable {@value #ENVIRONMENT}
 * (paths separated by {@code :}), each once. A jar is loaded and checked once per JVM: its strategies are made (the
 * factories, and one allocator each with default knobs, closed at once), so that a broken plugin is a
 * {@link PluginException} naming the jar before anything runs, not a failure halfway through a benchmark.
 */
public final class Plugins {
    /** The system property holding the jars of {@code --plugin}, separated like a class path. */
    public static final String PROPERTY = "slabworks.plugins";
    /** The environment variable naming plugin jars, separated like a class path. */
    public static final String ENVIRONMENT = "SLABWORKS_PLUGINS";

    private static final String SERVICES = "META-INF/services/" + Module.class.getName();

    /** One jar's strategies by name, checked. */
    record Plugin(Path jar, Map<String, AllocatorFactory> factories) {
    }

    /** What this JVM loaded, by jar: a jar is loaded once, however many commands or injectors ask. */
    private static final Map<Path, Plugin> LOADED = new ConcurrentHashMap<>();

    private Plugins() {
    }

    /** A broken plugin: one line, naming the jar. Extends {@link IllegalArgumentException}, so it is a usage error. */
    public static final class PluginException extends IllegalArgumentException {
        PluginException(Path jar, String problem) {
            super("plugin " + jar + (fromEnvironmentOnly(jar) ? " (from " + ENVIRONMENT + ")" : "") + ": " + problem);
        }
    }

    /** Whether {@code jar} was named by {@value #ENVIRONMENT} and not by {@code --plugin}: where to look for it. */
    private static boolean fromEnvironmentOnly(Path jar) {
        return split(System.getenv(ENVIRONMENT)).contains(jar) && !split(System.getProperty(PROPERTY)).contains(jar);
    }

    private static List<Path> split(String list) {
        List<Path> jars = new ArrayList<>();
        if (list != null) {
            for (String entry : list.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    jars.add(Path.of(entry.strip()).toAbsolutePath().normalize());
                }
            }
        }
        return jars;
    }

    /** The plugin jars of this JVM: {@value #PROPERTY}'s, then {@value #ENVIRONMENT}'s, each once, as absolute paths. */
    public static List<Path> jars() {
        Set<Path> jars = new LinkedHashSet<>(split(System.getProperty(PROPERTY)));
        jars.addAll(split(System.getenv(ENVIRONMENT)));
        return List.copyOf(jars);
    }

    /**
     * Adds {@code jars} to this JVM's plugins until the returned scope closes (a command's run; in-process tests run
     * one command after another), and checks every plugin of the JVM now, its names against the built-in ones too.
     */
    public static AutoCloseable using(List<Path> jars) {
        String before = System.getProperty(PROPERTY);
        if (!jars.isEmpty()) {
            List<String> all = new ArrayList<>();
            if (before != null && !before.isBlank()) {
                all.add(before);
            }
            jars.forEach(j -> all.add(j.toAbsolutePath().normalize().toString()));
            System.setProperty(PROPERTY, String.join(File.pathSeparator, all));
        }
        AutoCloseable restore = () -> {
            if (before == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, before);
            }
        };
        try {
            if (!load().isEmpty()) {
                Strategies.injector(); // names and knobs of every plugin against the built-in ones, now
            }
        } catch (RuntimeException e) {
            try {
                restore.close();
            } catch (Exception ignored) {
                // restoring a property does not fail
            }
            throw e;
        }
        return restore;
    }

    /** Every plugin of this JVM, loaded (once per jar) and checked. */
    static List<Plugin> load() {
        List<Plugin> out = new ArrayList<>();
        for (Path jar : jars()) {
            out.add(LOADED.computeIfAbsent(jar, Plugins::loadJar));
        }
        return out;
    }

    /**
     * A module binding every strategy of {@code plugins}, after checking that no name is taken twice: a strategy's
     * by a strategy of {@code builtIn} (built in, or added by the caller) or of another plugin; a knob's key or
     * environment name by the harness, a built-in strategy or an earlier plugin ({@link KnobRegistry}).
     */
    static Module module(List<Plugin> plugins, Map<String, AllocatorFactory> builtIn) {
        Map<String, Path> owners = new LinkedHashMap<>();
        KnobRegistry.Builder knobs = KnobRegistry.builder().add("harness", HarnessKnobs.all());
        builtIn.forEach((name, f) -> knobs.add(name, f.knobs()));
        for (Plugin p : plugins) {
            for (Map.Entry<String, AllocatorFactory> e : p.factories().entrySet()) {
                String name = e.getKey();
                if (builtIn.containsKey(name)) {
                    throw new PluginException(p.jar(), "strategy '" + name + "' is a built-in strategy's name; "
                            + "rename it (AllocatorFactory.name() and its binding)");
                }
                Path other = owners.putIfAbsent(name, p.jar());
                if (other != null) {
                    throw new PluginException(p.jar(), "strategy '" + name + "' is registered by plugin " + other
                            + " too; one name, one strategy");
                }
                try {
                    knobs.add(name, e.getValue().knobs());
                } catch (KnobException clash) {
                    throw new PluginException(p.jar(), clash.getMessage());
                }
            }
        }
        return new AbstractModule() {
            @Override
            protected void configure() {
                MapBinder<String, AllocatorFactory> binder =
                        MapBinder.newMapBinder(binder(), String.class, AllocatorFactory.class);
                plugins.forEach(p -> p.factories().forEach((name, f) -> binder.addBinding(name).toInstance(f)));
            }
        };
    }

    private static Plugin loadJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new PluginException(jar, "no such file");
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getEntry(SERVICES) == null) {
                throw new PluginException(jar, "declares no strategy: it has no " + SERVICES);
            }
        } catch (IOException e) {
            throw new PluginException(jar, "not a jar (" + oneLine(e) + ")");
        }
        ClassLoader loader = new URLClassLoader("plugin " + jar.getFileName(), new URL[] {url(jar)},
                Plugins.class.getClassLoader());
        List<Module> modules = new ArrayList<>(List.of(Strategies.EMPTY_MAP));
        Map<String, AllocatorFactory> factories;
        try {
            for (ServiceLoader.Provider<Module> p : ServiceLoader.load(Module.class, loader).stream().toList()) {
                if (p.type().getClassLoader() == loader) { // the jar's own, not the harness's built-in modules
                    modules.add(p.get());
                }
            }
            if (modules.size() == 1) {
                throw new PluginException(jar, "the modules its " + SERVICES + " names are not in the jar");
            }
            factories = Strategies.factories(Guice.createInjector(modules));
        } catch (PluginException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) { // ServiceConfigurationError, CreationException, NoClassDefFoundError...
            throw new PluginException(jar, "its strategies cannot be loaded: " + oneLine(e));
        }
        if (factories.isEmpty()) {
            throw new PluginException(jar, "its Guice modules bind no strategy (MapBinder<String, AllocatorFactory>)");
        }
        factories.forEach((name, factory) -> check(jar, name, factory));
        return new Plugin(jar, Map.copyOf(factories));
    }

    /** Makes and closes one allocator with default knobs: a factory that cannot is a broken plugin. */
    private static void check(Path jar, String name, AllocatorFactory factory) {
        try (Allocator allocator = factory.create(Knobs.defaults())) {
            if (!name.equals(factory.name()) || !name.equals(allocator.name())) {
                throw new PluginException(jar, "strategy bound as '" + name + "' calls itself '" + factory.name()
                        + "' (factory) and '" + allocator.name() + "' (allocator): one name for all three");
            }
        } catch (PluginException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException(jar, "strategy '" + name + "' cannot make an allocator with default knobs: "
                    + oneLine(e));
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new PluginException(jar, "not a path a class loader can read (" + e.getMessage() + ")");
        }
    }

    /**
     * What went wrong, as {@code SimpleName: message} on one line: the innermost cause, or the first
     * {@link LinkageError} on the way there (a {@code NoClassDefFoundError} names the class better than its cause).
     */
    static String oneLine(Throwable t) {
        Throwable root = t;
        while (!(root instanceof LinkageError) && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
        return root.getClass().getSimpleName() + message;
    }
}
