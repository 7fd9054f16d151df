package dev.slabworks.harness.plugin;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A strategy built outside the harness the way docs/writing-a-strategy.md builds one: the template's sources
 * (strategy-segregated-fit) under a package, a strategy name and a knob prefix of their own, compiled against the api
 * on this class path (javax.tools) and packed in a jar with its services file. Edits make variants (broken copies),
 * compiled whole again: javac copies a constant such as the strategy's name into every class that uses it.
 */
final class TemplateCopy {
    private static final Path TEMPLATE = Path.of("..", "strategy-segregated-fit", "src", "main");
    private static final String PACKAGE = "dev.slabworks.segfit";
    private static final String SERVICES = "META-INF/services/com.google.inject.Module";

    private final Path work;
    private final String packagePath;
    private final String services;
    /** The copy's classes, compiled once. */
    private final Path classes;
    /** A variant's edited sources by file name (empty for the copy itself). */
    private final Map<String, String> edited;
    private final Map<String, String> sources;

    private TemplateCopy(Path work, String packagePath, String services, Path classes, Map<String, String> sources,
                         Map<String, String> edited) {
        this.work = work;
        this.packagePath = packagePath;
        this.services = services;
        this.classes = classes;
        this.sources = sources;
        this.edited = edited;
    }

    /** The template under package {@code pkg}, strategy {@code name} and knobs {@code knobPrefix.*}, compiled in {@code work}. */
    static TemplateCopy of(Path work, String pkg, String name, String knobPrefix) {
        Map<String, String> sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(TEMPLATE.resolve("java").resolve(PACKAGE.replace('.', '/')))) {
            for (Path f : files.sorted().toList()) {
                sources.put(f.getFileName().toString(), Files.readString(f).replace(PACKAGE, pkg)
                        .replace("\"segregated-fit\"", "\"" + name + "\"").replace("\"segfit.", "\"" + knobPrefix + "."));
            }
            String services = Files.readString(TEMPLATE.resolve("resources").resolve(SERVICES)).replace(PACKAGE, pkg);
            String packagePath = pkg.replace('.', '/');
            Path classes = compile(work.resolve(name + "-" + knobPrefix), packagePath, sources,
                    System.getProperty("java.class.path"));
            return new TemplateCopy(work, packagePath, services, classes, sources, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A variant with {@code file}'s text changed by {@code edit}. */
    TemplateCopy edit(String file, UnaryOperator<String> edit) {
        String before = edited.getOrDefault(file, sources.get(file));
        String after = edit.apply(before);
        if (after.equals(before)) {
            throw new IllegalArgumentException("the edit of " + file + " changed nothing");
        }
        Map<String, String> changed = new LinkedHashMap<>(edited);
        changed.put(file, after);
        return new TemplateCopy(work, packagePath, services, classes, sources, changed);
    }

    /** {@code jarName} in the work directory: the classes {@code keep} accepts, and the services file. */
    Path jar(String jarName, Predicate<String> keep) {
        try {
            Map<String, Path> entries = new LinkedHashMap<>();
            collect(classes, entries);
            if (!edited.isEmpty()) {
                Map<String, String> all = new LinkedHashMap<>(sources);
                all.putAll(edited);
                collect(compile(work.resolve(jarName + "-edited"), packagePath, all, System.getProperty("java.class.path")),
                        entries);
            }
            Path jar = work.resolve(jarName);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                for (Map.Entry<String, Path> e : entries.entrySet()) {
                    if (keep.test(e.getKey())) {
                        out.putNextEntry(new JarEntry(e.getKey()));
                        out.write(Files.readAllBytes(e.getValue()));
                        out.closeEntry();
                    }
                }
                out.putNextEntry(new JarEntry(SERVICES));
                out.write(services.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path jar(String jarName) {
        return jar(jarName, entry -> true);
    }

    /** Class files under {@code root} by jar entry name; a later root's file replaces an earlier one's. */
    private static void collect(Path root, Map<String, Path> entries) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                entries.put(root.relativize(f).toString().replace('\\', '/'), f);
            }
        }
    }

    private static Path compile(Path dir, String packagePath, Map<String, String> sources, String classPath)
            throws IOException {
        Path src = Files.createDirectories(dir.resolve("src").resolve(packagePath));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", classPath,
                "--release", "25", "-XDstringConcat=inline", "-nowarn", "-implicit:none"));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey());
            Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        if (javac.run(null, null, errors, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("javac failed: " + errors.toString(StandardCharsets.UTF_8));
        }
        return classes;
    }
}
