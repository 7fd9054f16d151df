package dev.slabworks.harness.baseline;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.MemoryUse;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.OutOfNativeMemoryError;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.StatsSnapshot;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.NoSuchElementException;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A native allocator behind the slabworks SPI: {@code malloc}, {@code free}, {@code realloc} and
 * the usable-size call of one {@link NativeLibrary}, as FFM downcalls with {@code long} arguments
 * (a pointer is the same register as a {@code long} on LP64, so nothing is boxed) and
 * {@code Linker.Option.critical(false)} (no thread-state transition: ~1.5 ns per call, docs/DESIGN.md
 * §2).
 *
 * <p>Out of scope by design: a native allocator cannot reject an invalid free (it would crash or
 * corrupt the process), so {@link #free} trusts its caller. The harness's workloads free only what
 * they allocated. Its syscalls are invisible to slabworks' OS layer; its stats table carries only the
 * page faults {@code getrusage} sees. Its memory figures are the library's own statistics ({@link LibraryMemory}),
 * and {@link #trim} is the library's own trim.
 *
 * <p>Outside api's {@code os} package, only this package may use a {@link Linker} (docs/DESIGN.md §3, rule L4).
 */
public final class NativeAllocator implements Allocator {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    private final NativeLibrary library;
    private final Knobs knobs;
    private final Stats stats;
    private final MethodHandle malloc;
    private final MethodHandle free;
    private final MethodHandle realloc;
    private final MethodHandle usableSize;
    private final LibraryMemory memory;

    /** {@link #NativeAllocator(NativeLibrary, Knobs, Os)} with an OS layer of its own. */
    public NativeAllocator(NativeLibrary library, Knobs knobs) {
        this(library, knobs, new Os());
    }

    /**
     * Binds {@code library}'s entry points; the library stays loaded for the life of the process. {@code os} only
     * reads the page faults ({@code getrusage}): the library makes its own system calls, unseen.
     */
    public NativeAllocator(NativeLibrary library, Knobs knobs, Os os) {
        this.library = library;
        this.knobs = knobs;
        this.stats = new Stats(os);
        SymbolLookup lookup = library.lookup();
        this.malloc = bind(lookup, library.malloc, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        this.free = bind(lookup, library.free, FunctionDescriptor.ofVoid(JAVA_LONG));
        this.realloc = bind(lookup, library.realloc, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
        this.usableSize = bind(lookup, library.usableSize, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        this.memory = LibraryMemory.of(library, lookup);
    }

    private MethodHandle bind(SymbolLookup lookup, String symbol, FunctionDescriptor descriptor) {
        MemorySegment address = lookup.find(symbol).orElseThrow(() -> new NoSuchElementException(
                library.baselineName() + ": symbol " + symbol + " not found"));
        return LINKER.downcallHandle(address, descriptor, CRITICAL);
    }

    @Override
    public String name() {
        return library.baselineName();
    }

    @Override
    public long allocate(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        long p;
        try {
            p = (long) malloc.invokeExact(size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (p == 0) {
            throw new OutOfNativeMemoryError(library.baselineName() + " malloc(" + size + ") returned NULL");
        }
        return p;
    }

    @Override
    public void free(long address) {
        try {
            free.invokeExact(address);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long usableSize(long address) {
        try {
            return (long) usableSize.invokeExact(address);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long reallocate(long address, long newSize) {
        long p;
        try {
            p = (long) realloc.invokeExact(address, Math.max(newSize, 1L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (p == 0) {
            throw new OutOfNativeMemoryError(library.baselineName() + " realloc(" + newSize + ") returned NULL");
        }
        return p;
    }

    /** The library's own figures: see {@link LibraryMemory} for what each library counts. */
    @Override
    public MemoryUse memoryUse() {
        return memory.now();
    }

    /** {@code malloc_trim(0)}, a jemalloc purge of every arena, {@code mi_collect(true)} or tcmalloc's release. */
    @Override
    public void trim() {
        memory.trim();
    }

    @Override
    public Knobs knobs() {
        return knobs;
    }

    @Override
    public StatsSnapshot stats() {
        return stats.snapshot();
    }

    /** Nothing to return: the native allocator keeps its memory for the life of the process. */
    @Override
    public void close() {
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
