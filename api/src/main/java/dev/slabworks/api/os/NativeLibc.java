package dev.slabworks.api.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library functions behind {@link LibcKernel} (and the facts {@link Os} reads once): api's only {@link Linker} downcalls (the other package that
 * may use a Linker is the harness's {@code baseline}: docs/DESIGN.md §3, rule L4). Pointers cross as
 * {@code long} (LP64: the same register as {@code void*}), so a call boxes nothing; {@code errno} is
 * captured into a per-thread scratch segment.
 */
final class NativeLibc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;
    static final long MAP_FAILED = -1L;
    static final int RUSAGE_SELF = 0;
    private static final int SC_PAGESIZE = 30;
    private static final int SC_PHYS_PAGES = 85;
    /** {@code SYS_membarrier}: not in glibc as a function, so through {@code syscall(2)}. */
    private static final long SYS_MEMBARRIER = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 324;
        case "aarch64" -> 283;
        default -> -1;
    };
    static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED = 1 << 3;
    static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;

    /** {@code struct rusage} on 64-bit Linux: two timevals, then fourteen longs. */
    static final StructLayout RUSAGE = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(4, JAVA_LONG).withName("ru_utime_stime"),
            JAVA_LONG.withName("ru_maxrss"),
            JAVA_LONG.withName("ru_ixrss"),
            JAVA_LONG.withName("ru_idrss"),
            JAVA_LONG.withName("ru_isrss"),
            JAVA_LONG.withName("ru_minflt"),
            JAVA_LONG.withName("ru_majflt"),
            JAVA_LONG.withName("ru_nswap"),
            JAVA_LONG.withName("ru_inblock"),
            JAVA_LONG.withName("ru_oublock"),
            JAVA_LONG.withName("ru_msgsnd"),
            JAVA_LONG.withName("ru_msgrcv"),
            JAVA_LONG.withName("ru_nsignals"),
            JAVA_LONG.withName("ru_nvcsw"),
            JAVA_LONG.withName("ru_nivcsw"));

    static final long RU_MAXRSS = offset("ru_maxrss");
    static final long RU_MINFLT = offset("ru_minflt");
    static final long RU_MAJFLT = offset("ru_majflt");
    static final long RU_NVCSW = offset("ru_nvcsw");
    static final long RU_NIVCSW = offset("ru_nivcsw");

    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO);
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), ERRNO);
    private static final MethodHandle MADVISE = downcall("madvise",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), ERRNO);
    private static final MethodHandle MINCORE = downcall("mincore",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG), ERRNO);
    private static final MethodHandle GETRUSAGE = downcall("getrusage",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO);
    private static final MethodHandle STRERROR = downcall("strerror",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle SYSCONF = downcall("sysconf",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final MethodHandle SYSCALL3 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT), ERRNO,
            Linker.Option.firstVariadicArg(1));

    /** One per thread, made once: where a call's {@code errno} is captured. */
    static final class Scratch {
        final MemorySegment callState;

        private Scratch() {
            callState = Arena.ofAuto().allocate(CALL_STATE);
        }

        int errno() {
            return (int) ERRNO_VALUE.get(callState, 0L);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private NativeLibc() {
    }

    static Scratch scratch() {
        return SCRATCH.get();
    }

    static long mmap(Scratch s, long addr, long length, int prot, int flags, int fd, long offset) {
        try {
            return (long) MMAP.invokeExact(s.callState, addr, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int munmap(Scratch s, long addr, long length) {
        try {
            return (int) MUNMAP.invokeExact(s.callState, addr, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int madvise(Scratch s, long addr, long length, int advice) {
        try {
            return (int) MADVISE.invokeExact(s.callState, addr, length, advice);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int mincore(Scratch s, long addr, long length, long vector) {
        try {
            return (int) MINCORE.invokeExact(s.callState, addr, length, vector);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getrusage(Scratch s, int who, long usage) {
        try {
            return (int) GETRUSAGE.invokeExact(s.callState, who, usage);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "unknown error" : text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long sysconf(int name) {
        try {
            return (long) SYSCONF.invokeExact(name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long pageSize() {
        return sysconf(SC_PAGESIZE);
    }

    /** Bytes of physical memory, or -1 when the C library cannot tell. */
    static long physicalMemory() {
        long pages = sysconf(SC_PHYS_PAGES);
        return pages <= 0 ? -1 : pages * pageSize();
    }

    /** {@code membarrier(cmd, 0, 0)}; -1 with errno set when it fails, and on a machine we have no number for. */
    static long membarrier(Scratch s, int cmd) {
        if (SYS_MEMBARRIER < 0) {
            return -1;
        }
        try {
            return (long) SYSCALL3.invokeExact(s.callState, SYS_MEMBARRIER, cmd, 0, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("C library has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static long offset(String field) {
        return RUSAGE.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("native call failed", t);
    }
}
