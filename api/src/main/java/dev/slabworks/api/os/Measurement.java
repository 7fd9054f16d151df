package dev.slabworks.api.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The kernel calls of one {@link Os} that measure rather than manage memory: the resident bytes of its
 * mappings ({@code mincore}, the workbench's own calls, counted apart from the allocator's) and the process's
 * resource usage ({@code getrusage}, counted with the allocator's calls under {@link SyscallCause#STATS}).
 */
final class Measurement {
    /** Pages asked about per {@code mincore} call of {@link #residentBytes}: 16 MiB of 4 KiB pages. */
    static final int RESIDENCY_CHUNK_PAGES = 4096;
    /**
     * One per measuring thread, made on its first use: {@link #residentBytes}'s {@code mincore} vector, and
     * {@link #resourceUsage}'s {@code struct rusage} (never both at once on one thread).
     */
    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(() -> Arena.ofAuto()
            .allocate(Math.max(RESIDENCY_CHUNK_PAGES, NativeLibc.RUSAGE.byteSize()), Long.BYTES));

    private final Kernel kernel;
    private final SyscallCounters syscalls;
    private final SyscallFailures failures;
    /** The {@code mincore} calls of {@link #residentBytes}: not the allocator's, so kept out of {@link #syscalls}. */
    private final SyscallCounters residency = new SyscallCounters();

    Measurement(Kernel kernel, SyscallCounters syscalls, SyscallFailures failures) {
        this.kernel = kernel;
        this.syscalls = syscalls;
        this.failures = failures;
    }

    SyscallCounters residencySyscalls() {
        return residency;
    }

    /** See {@link Os#residentBytes()}: the bytes of {@code live}'s whole reservations resident in RAM now. */
    long residentBytes(Iterable<Mapping> live) {
        MemorySegment vector = SCRATCH.get();
        long pages = 0;
        for (Mapping m : live) {
            long end = m.reservedAddress() + m.reservedSize();
            for (long at = m.reservedAddress(); at < end; at += RESIDENCY_CHUNK_PAGES * Os.PAGE_SIZE) {
                long length = Math.min(end - at, RESIDENCY_CHUNK_PAGES * Os.PAGE_SIZE);
                long start = System.nanoTime();
                int rc = kernel.mincore(at, length, vector.address());
                residency.record(Syscall.MINCORE, SyscallCause.OTHER, System.nanoTime() - start);
                if (rc != 0) {
                    if (rc == -Errno.ENOMEM) {
                        break; // unmapped meanwhile: none of it is this instance's any more
                    }
                    throw failures.record(Syscall.MINCORE, -rc, Os.hex(at) + ", " + length);
                }
                pages += residentPages(vector, length >>> Os.PAGE_SHIFT);
            }
        }
        return pages << Os.PAGE_SHIFT;
    }

    /** Pages marked resident (bit 0 of each byte) in the first {@code count} bytes of {@code vector}. */
    static long residentPages(MemorySegment vector, long count) {
        long n = 0;
        long i = 0;
        for (; i + Long.BYTES <= count; i += Long.BYTES) {
            n += Long.bitCount(vector.get(ValueLayout.JAVA_LONG_UNALIGNED, i) & 0x0101010101010101L);
        }
        for (; i < count; i++) {
            n += vector.get(ValueLayout.JAVA_BYTE, i) & 1;
        }
        return n;
    }

    /** See {@link Os#resourceUsage()}. */
    ResourceUsage resourceUsage() {
        MemorySegment usage = SCRATCH.get();
        long start = System.nanoTime();
        int rc = kernel.getrusage(usage.address());
        if (rc != 0) {
            throw failures.record(Syscall.GETRUSAGE, -rc, "RUSAGE_SELF");
        }
        syscalls.record(Syscall.GETRUSAGE, SyscallCause.STATS, System.nanoTime() - start);
        return new ResourceUsage(
                usage.get(ValueLayout.JAVA_LONG, NativeLibc.RU_MINFLT),
                usage.get(ValueLayout.JAVA_LONG, NativeLibc.RU_MAJFLT),
                usage.get(ValueLayout.JAVA_LONG, NativeLibc.RU_NVCSW),
                usage.get(ValueLayout.JAVA_LONG, NativeLibc.RU_NIVCSW),
                usage.get(ValueLayout.JAVA_LONG, NativeLibc.RU_MAXRSS));
    }
}
