package dev.slabworks.harness.baseline;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The native allocators slabworks compares against (docs/DESIGN.md §16): where each one's shared
 * library lives on Debian and the names of its four entry points. glibc is the process's own C
 * library and always present; the others come from their Debian packages when installed.
 */
public enum NativeLibrary {
    GLIBC("glibc", "the process's C library malloc (ptmalloc2)", null, null,
            "malloc", "free", "realloc", "malloc_usable_size"),
    JEMALLOC("jemalloc", "jemalloc from libjemalloc.so.2", "libjemalloc2", "libjemalloc.so.2",
            "malloc", "free", "realloc", "malloc_usable_size"),
    MIMALLOC("mimalloc", "Microsoft mimalloc from libmimalloc.so.2", "libmimalloc2.0", "libmimalloc.so.2",
            "mi_malloc", "mi_free", "mi_realloc", "mi_usable_size"),
    TCMALLOC("tcmalloc", "gperftools tcmalloc from libtcmalloc_minimal.so.4", "libtcmalloc-minimal4",
            "libtcmalloc_minimal.so.4", "tc_malloc", "tc_free", "tc_realloc", "tc_malloc_size");

    /** Where Debian and Ubuntu put shared libraries, most specific first. */
    private static final List<Path> LIBRARY_DIRECTORIES = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib/aarch64-linux-gnu"),
            Path.of("/lib/x86_64-linux-gnu"), Path.of("/lib/aarch64-linux-gnu"),
            Path.of("/usr/lib64"), Path.of("/usr/lib"), Path.of("/usr/local/lib"));

    /**
     * jemalloc keeps its thread state in initial-exec TLS, which {@code dlopen} can place only in
     * glibc's static TLS surplus (512 bytes by default): too small once the JVM has started. The
     * launcher raises it with this tunable; without it jemalloc is reported as not loadable.
     */
    public static final String STATIC_TLS_TUNABLE = "glibc.rtld.optional_static_tls=65536";

    private final String baselineName;
    private SymbolLookup lookup;
    private String loadProblem;
    private final String description;
    private final String debianPackage;
    private final String fileName;
    final String malloc;
    final String free;
    final String realloc;
    final String usableSize;

    NativeLibrary(String baselineName, String description, String debianPackage, String fileName,
                  String malloc, String free, String realloc, String usableSize) {
        this.baselineName = baselineName;
        this.description = description;
        this.debianPackage = debianPackage;
        this.fileName = fileName;
        this.malloc = malloc;
        this.free = free;
        this.realloc = realloc;
        this.usableSize = usableSize;
    }

    /** The name a user passes to {@code --strategy}. */
    public String baselineName() {
        return baselineName;
    }

    public String description() {
        return description;
    }

    /** The Debian package that installs it, or null for glibc. */
    public String debianPackage() {
        return debianPackage;
    }

    /** True when this library is the process's own C library (found through the default lookup). */
    boolean isProcessLibc() {
        return fileName == null;
    }

    /** The library file, when installed; always empty for glibc (it is already loaded). */
    public Optional<Path> file() {
        if (fileName == null) {
            return Optional.empty();
        }
        return LIBRARY_DIRECTORIES.stream().map(d -> d.resolve(fileName)).filter(Files::isReadable).findFirst();
    }

    public boolean installed() {
        return isProcessLibc() || file().isPresent();
    }

    /** Why it cannot run, for listings. */
    public String notInstalledReason() {
        return "not installed (apt-get install " + debianPackage + " provides " + fileName + ")";
    }

    /**
     * The symbols of this library, loaded once for the life of the process (it is never unloaded:
     * native allocators keep their memory until exit). Throws with the loader's reason when an
     * installed library cannot be loaded into this process.
     */
    synchronized SymbolLookup lookup() {
        if (lookup == null && loadProblem == null) {
            if (isProcessLibc()) {
                lookup = Linker.nativeLinker().defaultLookup();
            } else if (file().isEmpty()) {
                loadProblem = notInstalledReason();
            } else {
                try {
                    lookup = SymbolLookup.libraryLookup(file().get(), Arena.global());
                } catch (IllegalArgumentException e) {
                    loadProblem = "installed, but cannot be loaded into this JVM (" + e.getMessage() + "); the "
                            + "./slabworks launcher sets GLIBC_TUNABLES=" + STATIC_TLS_TUNABLE + " for this";
                }
            }
        }
        if (lookup == null) {
            throw new IllegalStateException(baselineName + " is " + loadProblem);
        }
        return lookup;
    }

    /** Null when this baseline can run here, else why not ("not installed ...", "cannot be loaded ..."). */
    public synchronized String unavailableReason() {
        try {
            lookup();
            return null;
        } catch (IllegalStateException e) {
            return loadProblem;
        }
    }
}
