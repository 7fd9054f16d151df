package dev.slabworks.harness.bench;

import dev.slabworks.harness.workload.MtraceParser;
import dev.slabworks.harness.workload.Trace;
import dev.slabworks.harness.workload.TraceFormatException;
import dev.slabworks.harness.workload.Workload;
import dev.slabworks.harness.workload.Workloads;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Gives each contender its own copy of the workload loop classes, so the JIT profiles (and compiles)
 * each contender's loop on its own: the {@code allocator.allocate} call site a strategy sees stays
 * monomorphic and inlinable, however many contenders ran before it in this JVM. Without this the
 * first contender would get an inlined call and the later ones a megamorphic one, and the order of
 * {@code --strategy} would leak into the table. (JMH gets the same effect with a fork per benchmark.)
 *
 * <p>A fresh class loader re-defines the implementation classes of the workload package from the same
 * bytes; the types the harness shares with them ({@link Workload}, its {@code Outcome}, {@link Trace},
 * the parser) stay in the parent loader, so the copy is used through the ordinary interface.
 */
final class ProfileIsolation {
    private static final String PACKAGE = Workload.class.getPackageName() + ".";
    private static final Set<String> SHARED = Set.of(Workload.class.getName(), Workload.Outcome.class.getName(),
            Trace.class.getName(), MtraceParser.class.getName(), TraceFormatException.class.getName());

    private ProfileIsolation() {
    }

    /** {@code workload}, re-created from its name and arguments in a class loader of its own. */
    static Workload isolatedCopy(Workload workload) {
        List<String> words = new ArrayList<>();
        words.add(workload.name());
        words.addAll(workload.args());
        Loader loader = new Loader(Workload.class.getClassLoader());
        try {
            Class<?> parser = loader.loadClass(Workloads.class.getName());
            return (Workload) parser.getMethod("parse", List.class).invoke(null, words);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot isolate workload " + words + ": " + e, e);
        }
    }

    private static final class Loader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        Loader(ClassLoader parent) {
            super("slabworks-contender", parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACKAGE) || SHARED.contains(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    String resource = name.replace('.', '/') + ".class";
                    try (InputStream in = getParent().getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
