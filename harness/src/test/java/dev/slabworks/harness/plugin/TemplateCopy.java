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
 * (strategy-segregated-fit) under a package and a name of its own, compiled against the api on this class path
 * (javax.tools) and packed in a jar with its services file. Edits make broken copies.
 */
final class TemplateCopy {
    private static final Path TEMPLATE = Path.of("..", "strategy-segregated-fit", "src", "main");
    private static final String PACKAGE = "dev.slabworks.segfit";
    private static final String SERVICES = "META-INF/services/com.google.inject.Module";

    /** Source file name to text, and the services file. */
    private final Map<String, String> sources;
    private final String services;
    private final String packagePath;

    private TemplateCopy(Map<String, String> sources, String services, String packagePath) {
        this.sources = sources;
        this.services = services;
        this.packagePath = packagePath;
    }

    /** The template, renamed: package {@code pkg}, strategy {@code name}. */
    static TemplateCopy of(String pkg, String name) {
        Map<String, String> sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(TEMPLATE.resolve("java").resolve(PACKAGE.replace('.', '/')))) {
            for (Path f : files.sorted().toList()) {
                sources.put(f.getFileName().toString(), Files.readString(f).replace(PACKAGE, pkg)
                        .replace("\"segregated-fit\"", "\"" + name + "\""));
            }
            String services = Files.readString(TEMPLATE.resolve("resources").resolve(SERVICES)).replace(PACKAGE, pkg);
            return new TemplateCopy(sources, services, pkg.replace('.', '/'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy with {@code file}'s text changed by {@code edit}. */
    TemplateCopy edit(String file, UnaryOperator<String> edit) {
        Map<String, String> changed = new LinkedHashMap<>(sources);
        String before = changed.get(file);
        String after = edit.apply(before);
        if (after.equals(before)) {
            throw new IllegalArgumentException("the edit of " + file + " changed nothing");
        }
        changed.put(file, after);
        return new TemplateCopy(changed, services, packagePath);
    }

    /** Compiles the copy in {@code work} and packs {@code jar} with the classes {@code keep} accepts and the services file. */
    Path jar(Path work, String jarName, Predicate<String> keep) {
        try {
            Path src = Files.createDirectories(work.resolve(jarName + "-src").resolve(packagePath));
            Path classes = Files.createDirectories(work.resolve(jarName + "-classes"));
            List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                    System.getProperty("java.class.path"), "--release", "25", "-XDstringConcat=inline", "-nowarn"));
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
            Path jar = work.resolve(jarName);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                 Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    String entry = classes.relativize(f).toString().replace('\\', '/');
                    if (keep.test(entry)) {
                        out.putNextEntry(new JarEntry(entry));
                        out.write(Files.readAllBytes(f));
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

    Path jar(Path work, String jarName) {
        return jar(work, jarName, entry -> true);
    }
}
