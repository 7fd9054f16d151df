package dev.slabworks.harness.baseline;

import dev.slabworks.api.MemoryUse;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * What a native library says about its own memory, through its statistics calls, and its own way of giving
 * memory back ({@link #trim}). Each figure is the library's view, not a measurement of pages (README, "Memory"):
 * <ul>
 *   <li>glibc ({@code mallinfo2}): its counts cover the whole process, and the JVM mallocs from the same heap,
 *       so the figure is a change since this allocator was made: resident is the growth of {@code uordblks +
 *       hblkhd}, the bytes of the chunks in use (blocks with their headers and rounding). glibc keeps freed
 *       memory in its arenas, shared with the JVM's, from one repetition to the next, so which of its free memory
 *       belongs to this run it cannot tell: the figure leaves free memory out, and the chunks its per-thread cache
 *       held when the allocator was made are reused without growing it. A floor. The growth of what it holds from
 *       the kernel ({@code arena + hblkhd}) reads 0 once an earlier repetition has grown the heap, so no mapped
 *       figure is given.</li>
 *   <li>jemalloc ({@code mallctl}, after writing {@code epoch}): {@code stats.resident} (pages it has dirtied and
 *       not returned: an upper bound) and {@code stats.mapped}.</li>
 *   <li>mimalloc ({@code mi_process_info}): {@code current_commit}, the bytes it has committed: an upper bound on
 *       resident, since committing on Linux touches nothing (mimalloc 2.0 commits its 32 MiB segments whole, so
 *       it reads 32 MiB for a small heap). Its {@code current_rss} is the process's, the JVM's, and is not used;
 *       it reports no mapped figure.</li>
 *   <li>tcmalloc ({@code MallocExtension_GetNumericProperty}): {@code generic.heap_size} as mapped, and
 *       {@code generic.total_physical_bytes} as resident, its estimate of its physical memory: the heap minus
 *       what it returned to the kernel, plus its metadata (page map, spans). An estimate: free spans may never
 *       have been touched, and parts of the metadata are touched that it does not count (its C twin's RSS ran
 *       about 1.5 MiB above it).</li>
 * </ul>
 * jemalloc, mimalloc and tcmalloc are loaded for slabworks alone (the JVM keeps glibc), so their figures are
 * this baseline's; but a library lives as long as the process, so they include what it kept from earlier
 * repetitions in this JVM. A call that is missing leaves its figure {@link MemoryUse#UNKNOWN}.
 */
abstract sealed class LibraryMemory {
    private static final Linker LINKER = Linker.nativeLinker();

    /** The library's figures now. */
    abstract MemoryUse now();

    /** The library's own trim: what {@code malloc_trim}, a purge or a collection gives back. */
    abstract void trim();

    /** The statistics of {@code library} for an allocator made now. */
    static LibraryMemory of(NativeLibrary library, SymbolLookup lookup) {
        return switch (library) {
            case GLIBC -> new Glibc(lookup);
            case JEMALLOC -> new Jemalloc(lookup);
            case MIMALLOC -> new Mimalloc(lookup);
            case TCMALLOC -> new Tcmalloc(lookup);
        };
    }

    static MethodHandle find(SymbolLookup lookup, String symbol, FunctionDescriptor descriptor) {
        Optional<MemorySegment> address = lookup.find(symbol);
        return address.map(a -> LINKER.downcallHandle(a, descriptor)).orElse(null);
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** glibc: the growth of {@code mallinfo2}'s in-use bytes since the allocator was made (see the class comment). */
    static final class Glibc extends LibraryMemory {
        /** {@code struct mallinfo2}: ten {@code size_t}. */
        private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
                JAVA_LONG.withName("arena"), JAVA_LONG.withName("ordblks"), JAVA_LONG.withName("smblks"),
                JAVA_LONG.withName("hblks"), JAVA_LONG.withName("hblkhd"), JAVA_LONG.withName("usmblks"),
                JAVA_LONG.withName("fsmblks"), JAVA_LONG.withName("uordblks"), JAVA_LONG.withName("fordblks"),
                JAVA_LONG.withName("keepcost"));
        private static final long HBLKHD = offset("hblkhd");
        private static final long UORDBLKS = offset("uordblks");

        private final MethodHandle mallinfo2;
        private final MethodHandle mallocTrim;
        private final long inUseAtStart;

        Glibc(SymbolLookup lookup) {
            mallinfo2 = find(lookup, "mallinfo2", FunctionDescriptor.of(MALLINFO2));
            mallocTrim = find(lookup, "malloc_trim", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
            inUseAtStart = inUse();
        }

        @Override
        MemoryUse now() {
            long inUse = inUse();
            return inUse < 0 ? MemoryUse.NONE : new MemoryUse(MemoryUse.UNKNOWN, Math.max(0, inUse - inUseAtStart),
                    MemoryUse.Bound.AT_LEAST, "glibc mallinfo2: growth of uordblks + hblkhd");
        }

        /** {@code uordblks + hblkhd}, or {@link MemoryUse#UNKNOWN} without {@code mallinfo2}. */
        private long inUse() {
            if (mallinfo2 == null) {
                return MemoryUse.UNKNOWN;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment m = (MemorySegment) mallinfo2.invokeExact((SegmentAllocator) arena);
                return m.get(JAVA_LONG, UORDBLKS) + m.get(JAVA_LONG, HBLKHD);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override
        void trim() {
            if (mallocTrim != null) {
                try {
                    int ignored = (int) mallocTrim.invokeExact(0L);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            }
        }

        private static long offset(String field) {
            return MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement(field));
        }
    }

    /** jemalloc: {@code mallctl} after refreshing its statistics by writing {@code epoch}. */
    static final class Jemalloc extends LibraryMemory {
        /** {@code MALLCTL_ARENAS_ALL} in jemalloc 5: the pseudo-arena index for every arena. */
        private static final String PURGE_ALL = "arena.4096.purge";

        private final MethodHandle mallctl;

        Jemalloc(SymbolLookup lookup) {
            mallctl = find(lookup, "mallctl",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        }

        @Override
        MemoryUse now() {
            if (mallctl == null) {
                return MemoryUse.NONE;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
                call(arena, "epoch", MemorySegment.NULL, MemorySegment.NULL, one, Long.BYTES);
                return new MemoryUse(read(arena, "stats.mapped"), read(arena, "stats.resident"),
                        MemoryUse.Bound.AT_MOST, "jemalloc stats.resident");
            }
        }

        private long read(Arena arena, String name) {
            MemorySegment value = arena.allocate(JAVA_LONG);
            MemorySegment length = arena.allocateFrom(JAVA_LONG, Long.BYTES);
            return call(arena, name, value, length, MemorySegment.NULL, 0) == 0 ? value.get(JAVA_LONG, 0)
                    : MemoryUse.UNKNOWN;
        }

        private int call(Arena arena, String name, MemorySegment old, MemorySegment oldLength, MemorySegment value,
                         long valueLength) {
            try {
                return (int) mallctl.invokeExact(arena.allocateFrom(name), old, oldLength, value, valueLength);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override
        void trim() {
            if (mallctl != null) {
                try (Arena arena = Arena.ofConfined()) {
                    call(arena, "thread.tcache.flush", MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 0);
                    call(arena, PURGE_ALL, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 0);
                }
            }
        }
    }

    /** mimalloc: {@code mi_process_info}'s committed bytes; {@code mi_collect(true)} to trim. */
    static final class Mimalloc extends LibraryMemory {
        private final MethodHandle processInfo;
        private final MethodHandle collect;

        Mimalloc(SymbolLookup lookup) {
            processInfo = find(lookup, "mi_process_info", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                    ADDRESS, ADDRESS, ADDRESS, ADDRESS));
            collect = find(lookup, "mi_collect", FunctionDescriptor.ofVoid(JAVA_BOOLEAN));
        }

        @Override
        MemoryUse now() {
            if (processInfo == null) {
                return MemoryUse.NONE;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment v = arena.allocate(JAVA_LONG, 8); // elapsed, user, system, rss, peak rss, commit, peak commit, faults
                processInfo.invokeExact(v, v.asSlice(8), v.asSlice(16), v.asSlice(24), v.asSlice(32), v.asSlice(40),
                        v.asSlice(48), v.asSlice(56));
                return new MemoryUse(MemoryUse.UNKNOWN, v.get(JAVA_LONG, 40), MemoryUse.Bound.AT_MOST,
                        "mimalloc mi_process_info current_commit");
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override
        void trim() {
            if (collect != null) {
                try {
                    collect.invokeExact(true);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            }
        }
    }

    /** tcmalloc: {@code MallocExtension_GetNumericProperty}; {@code MallocExtension_ReleaseFreeMemory} to trim. */
    static final class Tcmalloc extends LibraryMemory {
        private final MethodHandle property;
        private final MethodHandle release;

        Tcmalloc(SymbolLookup lookup) {
            property = find(lookup, "MallocExtension_GetNumericProperty",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            release = find(lookup, "MallocExtension_ReleaseFreeMemory", FunctionDescriptor.ofVoid());
        }

        @Override
        MemoryUse now() {
            if (property == null) {
                return MemoryUse.NONE;
            }
            try (Arena arena = Arena.ofConfined()) {
                return new MemoryUse(read(arena, "generic.heap_size"), read(arena, "generic.total_physical_bytes"),
                        MemoryUse.Bound.ESTIMATE, "tcmalloc generic.total_physical_bytes");
            }
        }

        private long read(Arena arena, String name) {
            MemorySegment value = arena.allocate(JAVA_LONG);
            try {
                return (int) property.invokeExact(arena.allocateFrom(name), value) != 0 ? value.get(JAVA_LONG, 0)
                        : MemoryUse.UNKNOWN;
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override
        void trim() {
            if (release != null) {
                try {
                    release.invokeExact();
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            }
        }
    }
}
