package dev.slabworks.api.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OS layer: the one place slabworks talks to the kernel (mimalloc's {@code os.c}, snmalloc's
 * PAL). An allocator owns one instance; every call it makes through it is counted and timed in
 * {@link #syscalls()}, by call and by the {@link SyscallCause} its call site names, and the bytes it holds
 * mapped are tracked in {@link #mappedBytes()}. The methods without a cause count as {@link SyscallCause#OTHER}:
 * for tools and tests, not allocators.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Every {@link Mapping} is one {@code mmap} and, when released, one {@code munmap}, so an
 *       allocator that released everything shows {@code mmap == munmap}. Aligned mappings are asked
 *       for at an aligned hint in an address range of their own (see {@link #HINT_BASE}), so the
 *       kernel almost always places them there and one {@code mmap} suffices; when it puts one
 *       elsewhere, that try is unmapped and the range over-reserved by the alignment and kept whole
 *       rather than trimmed (trimming would add unmatched {@code munmap}s, and untouched reserve
 *       costs no memory).</li>
 *   <li>A failed call raises {@link OsException} naming the errno; {@code ENOMEM} from {@code mmap}
 *       raises {@link OutOfNativeMemoryError}. Nothing returns a silent 0.</li>
 *   <li>{@link #isMapped} and {@link #residentBytes} never read the memory they ask about.</li>
 *   <li>No mapping is larger than {@link #MAX_MAPPING} (the machine's physical memory): a larger request
 *       raises {@link OutOfNativeMemoryError} before any call. Mappings are {@code MAP_NORESERVE}, so the
 *       kernel would grant almost any size and the process would die on first touch instead; and every
 *       byte mapped costs the allocators' region maps Java heap in proportion.</li>
 *   <li>Only calls that succeeded are counted: a failed {@code mmap} maps nothing, so {@code mmap == munmap}
 *       still holds after everything is released.</li>
 * </ul>
 */
public final class Os {
    /** The base page size, from {@code sysconf(_SC_PAGESIZE)}. */
    public static final long PAGE_SIZE = NativeLibc.pageSize();
    public static final int PAGE_SHIFT = Long.numberOfTrailingZeros(PAGE_SIZE);

    /**
     * The largest mapping this layer makes: the machine's physical memory (a request for more could never
     * be backed), or 1 TiB when the C library cannot tell.
     */
    public static final long MAX_MAPPING = maxMapping(NativeLibc.physicalMemory());

    /**
     * Whether {@link #barrier()} works here ({@code MEMBARRIER_CMD_PRIVATE_EXPEDITED}, registered once per
     * process on first use of this class). Without it, allocators fall back to an atomic instruction where
     * they would otherwise rely on the barrier.
     */
    public static final boolean BARRIER_AVAILABLE =
            NativeLibc.membarrier(NativeLibc.scratch(), NativeLibc.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;

    private final SyscallCounters syscalls = new SyscallCounters();
    private final AtomicLong mappedBytes = new AtomicLong();
    private final AtomicLong mappedBytesPeak = new AtomicLong();
    private final AtomicLong mappingsLive = new AtomicLong();
    /** The mappings made and not yet released, for {@link #residentBytes}: changed on map and unmap only. */
    private final Set<Mapping> live = ConcurrentHashMap.newKeySet();
    /** The workbench's own calls ({@link #residentBytes}): not the allocator's, so kept out of {@link #syscalls}. */
    private final SyscallCounters measurement = new SyscallCounters();
    /** Pages asked about per {@code mincore} call of {@link #residentBytes}: 16 MiB of 4 KiB pages. */
    static final int RESIDENCY_CHUNK_PAGES = 4096;
    /** One {@code mincore} vector per measuring thread, made on its first walk. */
    private static final ThreadLocal<MemorySegment> RESIDENCY_VECTOR =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(RESIDENCY_CHUNK_PAGES, Long.BYTES));
    /**
     * Start of the range aligned mappings are hinted into: 2 TiB, far above the Java heap (compressed
     * oops keep it low) and far below the kernel's top-down mmap area, where the JVM's own threads
     * map stacks, code and arenas. A hint just below our last mapping (the obvious choice) lost
     * that race now and then, costing an extra mmap/munmap pair and a second SuperSlab-worth of
     * reserve; in a range nobody else uses, it does not.
     */
    static final long HINT_BASE = 2L << 40;
    /** The cursor wraps to {@link #HINT_BASE} here (64 TiB; a 47-bit user space ends at 128 TiB). */
    static final long HINT_END = 64L << 40;
    /**
     * Next hint, shared by every instance so that two allocators in one JVM never hint at each
     * other's mappings. Address space is not reused before the wrap: 62 TiB of it is plenty.
     */
    private static final AtomicLong HINT_CURSOR = new AtomicLong(HINT_BASE);

    public SyscallCounters syscalls() {
        return syscalls;
    }

    /** Bytes this instance holds mapped now (reservations included). */
    public long mappedBytes() {
        return mappedBytes.get();
    }

    public long mappedBytesPeak() {
        return mappedBytesPeak.get();
    }

    /** Mappings made and not yet released. */
    public long mappingsLive() {
        return mappingsLive.get();
    }

    /**
     * The {@code mincore} calls {@link #residentBytes} made: the workbench measuring, not the allocator
     * working, so they are not in {@link #syscalls()}.
     */
    public SyscallCounters measurementSyscalls() {
        return measurement;
    }

    /**
     * Bytes of this instance's live mappings (whole reservations) that are resident in RAM now, by
     * {@code mincore} over each, {@value #RESIDENCY_CHUNK_PAGES} pages a call, into a vector of this thread.
     * Reads no mapped memory and may run on any thread while others map, unmap and touch: a mapping released
     * meanwhile makes {@code mincore} fail with {@code ENOMEM} and counts as not resident. Costs one call per
     * 16 MiB mapped; counted in {@link #measurementSyscalls()}.
     */
    public long residentBytes() {
        MemorySegment vector = RESIDENCY_VECTOR.get();
        NativeLibc.Scratch s = NativeLibc.scratch();
        long pages = 0;
        for (Mapping m : live) {
            long end = m.reservedAddress() + m.reservedSize();
            for (long at = m.reservedAddress(); at < end; at += RESIDENCY_CHUNK_PAGES * PAGE_SIZE) {
                long length = Math.min(end - at, RESIDENCY_CHUNK_PAGES * PAGE_SIZE);
                long start = System.nanoTime();
                int rc = NativeLibc.mincore(s, at, length, vector.address());
                measurement.record(Syscall.MINCORE, SyscallCause.OTHER, System.nanoTime() - start);
                if (rc != 0) {
                    int errno = s.errno();
                    if (errno == Errno.ENOMEM) {
                        break; // unmapped meanwhile: none of it is this instance's any more
                    }
                    throw new OsException(Syscall.MINCORE, errno, hex(at) + ", " + length);
                }
                pages += residentPages(vector, length >>> PAGE_SHIFT);
            }
        }
        return pages << PAGE_SHIFT;
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

    /** Maps {@code size} bytes (rounded up to pages), readable and writable, zero-filled. */
    public Mapping map(long size, SyscallCause cause) {
        long length = pageRound(size);
        long address = rawMap(0L, length, cause);
        return account(new Mapping(address, length, address, length));
    }

    /** {@link #map(long, SyscallCause)} for tools and tests ({@link SyscallCause#OTHER}). */
    public Mapping map(long size) {
        return map(size, SyscallCause.OTHER);
    }

    /**
     * Maps {@code size} bytes whose start is a multiple of {@code alignment} (a power of two, at
     * least a page). See the class comment for how alignment is obtained without trimming.
     */
    public Mapping mapAligned(long size, long alignment, SyscallCause cause) {
        if (alignment < PAGE_SIZE || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two >= page size: " + alignment);
        }
        long length = pageRound(size);
        long address = rawMap(alignedHint(length, alignment), length, cause);
        if ((address & (alignment - 1)) == 0) {
            return account(new Mapping(address, length, address, length));
        }
        rawUnmap(address, length, SyscallCause.ALIGNMENT);
        long reserved = length + alignment - PAGE_SIZE;
        long reservedAddress = rawMap(0L, reserved, SyscallCause.ALIGNMENT);
        address = (reservedAddress + alignment - 1) & -alignment;
        return account(new Mapping(address, length, reservedAddress, reserved));
    }

    /** {@link #mapAligned(long, long, SyscallCause)} for tools and tests ({@link SyscallCause#OTHER}). */
    public Mapping mapAligned(long size, long alignment) {
        return mapAligned(size, alignment, SyscallCause.OTHER);
    }

    /** Releases a mapping made by this instance: one {@code munmap} of its whole reservation. */
    public void unmap(Mapping mapping, SyscallCause cause) {
        live.remove(mapping);
        rawUnmap(mapping.reservedAddress(), mapping.reservedSize(), cause);
        mappedBytes.addAndGet(-mapping.reservedSize());
        mappingsLive.decrementAndGet();
    }

    /** {@link #unmap(Mapping, SyscallCause)} for tools and tests ({@link SyscallCause#OTHER}). */
    public void unmap(Mapping mapping) {
        unmap(mapping, SyscallCause.OTHER);
    }

    /**
     * {@code munmap} of an arbitrary range, outside the mapping accounting: for tests and tools
     * that need the kernel's own answer. Allocators release through {@link #unmap(Mapping)}.
     */
    public void unmapRange(long address, long length) {
        rawUnmap(address, length, SyscallCause.OTHER);
    }

    /** Gives the pages of {@code [address, address + length)} back to the kernel; the range stays mapped. */
    public void advise(long address, long length, Advice advice, SyscallCause cause) {
        NativeLibc.Scratch s = NativeLibc.scratch();
        long start = System.nanoTime();
        int rc = NativeLibc.madvise(s, address, length, advice.linuxValue);
        syscalls.record(Syscall.MADVISE, cause, System.nanoTime() - start);
        if (rc != 0) {
            throw new OsException(Syscall.MADVISE, s.errno(),
                    hex(address) + ", " + length + ", MADV_" + advice.name());
        }
    }

    /** {@link #advise(long, long, Advice, SyscallCause)} for tools and tests ({@link SyscallCause#OTHER}). */
    public void advise(long address, long length, Advice advice) {
        advise(address, length, advice, SyscallCause.OTHER);
    }

    /**
     * Whether the page containing {@code address} is mapped, by {@code mincore}: the seed's check
     * before reading a header. Never touches the address. Addresses outside the user range are
     * simply not mapped.
     */
    public boolean isMapped(long address, SyscallCause cause) {
        long page = address & -PAGE_SIZE;
        NativeLibc.Scratch s = NativeLibc.scratch();
        long start = System.nanoTime();
        int rc = NativeLibc.mincore(s, page, PAGE_SIZE, s.buffer.address());
        syscalls.record(Syscall.MINCORE, cause, System.nanoTime() - start);
        if (rc == 0) {
            return true;
        }
        int errno = s.errno();
        if (errno == Errno.ENOMEM) {
            return false;
        }
        throw new OsException(Syscall.MINCORE, errno, hex(page) + ", " + PAGE_SIZE);
    }

    /** {@link #isMapped(long, SyscallCause)} for tools and tests ({@link SyscallCause#OTHER}). */
    public boolean isMapped(long address) {
        return isMapped(address, SyscallCause.OTHER);
    }

    /**
     * {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)}: when it returns, every thread of this process
     * that was running has executed a full memory barrier, so its earlier stores are visible to the caller
     * and its later loads see the caller's earlier stores. The expensive half of an asymmetric fence, paid
     * by a rare operation so that a frequent one needs no fence at all (see
     * {@code dev.slabworks.api.heap.Lifecycle}). Requires {@link #BARRIER_AVAILABLE}.
     */
    public void barrier() {
        if (!BARRIER_AVAILABLE) {
            throw new IllegalStateException("membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) is not available here");
        }
        NativeLibc.Scratch s = NativeLibc.scratch();
        long start = System.nanoTime();
        long rc = NativeLibc.membarrier(s, NativeLibc.MEMBARRIER_CMD_PRIVATE_EXPEDITED);
        syscalls.record(Syscall.MEMBARRIER, SyscallCause.LIFECYCLE, System.nanoTime() - start);
        if (rc != 0) {
            throw new OsException(Syscall.MEMBARRIER, s.errno(), "MEMBARRIER_CMD_PRIVATE_EXPEDITED");
        }
    }

    /** {@code getrusage(RUSAGE_SELF)}: process-wide, counted like every other call of this instance. */
    public ResourceUsage resourceUsage() {
        NativeLibc.Scratch s = NativeLibc.scratch();
        long start = System.nanoTime();
        int rc = NativeLibc.getrusage(s, NativeLibc.RUSAGE_SELF, s.buffer.address());
        syscalls.record(Syscall.GETRUSAGE, SyscallCause.STATS, System.nanoTime() - start);
        if (rc != 0) {
            throw new OsException(Syscall.GETRUSAGE, s.errno(), "RUSAGE_SELF");
        }
        return new ResourceUsage(
                s.buffer.get(ValueLayout.JAVA_LONG, NativeLibc.RU_MINFLT),
                s.buffer.get(ValueLayout.JAVA_LONG, NativeLibc.RU_MAJFLT),
                s.buffer.get(ValueLayout.JAVA_LONG, NativeLibc.RU_NVCSW),
                s.buffer.get(ValueLayout.JAVA_LONG, NativeLibc.RU_NIVCSW),
                s.buffer.get(ValueLayout.JAVA_LONG, NativeLibc.RU_MAXRSS));
    }

    public static long pageRound(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("mapping size must be positive: " + size);
        }
        if (size > MAX_MAPPING) {
            throw new OutOfNativeMemoryError("cannot map " + size + " bytes: more than this machine's "
                    + MAX_MAPPING + " bytes of physical memory (Os.MAX_MAPPING)");
        }
        return (size + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    static long maxMapping(long physicalMemory) {
        return physicalMemory > 0 ? physicalMemory : 1L << 40;
    }

    private long rawMap(long hint, long length, SyscallCause cause) {
        NativeLibc.Scratch s = NativeLibc.scratch();
        long start = System.nanoTime();
        long address = NativeLibc.mmap(s, hint, length, NativeLibc.PROT_READ | NativeLibc.PROT_WRITE,
                NativeLibc.MAP_PRIVATE | NativeLibc.MAP_ANONYMOUS | NativeLibc.MAP_NORESERVE, -1, 0L);
        long nanos = System.nanoTime() - start;
        if (address == NativeLibc.MAP_FAILED) {
            int errno = s.errno();
            String args = hex(hint) + ", " + length + ", PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE";
            if (errno == Errno.ENOMEM) {
                throw new OutOfNativeMemoryError("mmap(" + args + ") failed: " + Errno.describe(errno));
            }
            throw new OsException(Syscall.MMAP, errno, args);
        }
        syscalls.record(Syscall.MMAP, cause, nanos);
        return address;
    }

    private void rawUnmap(long address, long length, SyscallCause cause) {
        NativeLibc.Scratch s = NativeLibc.scratch();
        long start = System.nanoTime();
        int rc = NativeLibc.munmap(s, address, length);
        syscalls.record(Syscall.MUNMAP, cause, System.nanoTime() - start);
        if (rc != 0) {
            throw new OsException(Syscall.MUNMAP, s.errno(), hex(address) + ", " + length);
        }
    }

    private Mapping account(Mapping mapping) {
        live.add(mapping);
        mappingsLive.incrementAndGet();
        long now = mappedBytes.addAndGet(mapping.reservedSize());
        long peak;
        while (now > (peak = mappedBytesPeak.get()) && !mappedBytesPeak.compareAndSet(peak, now)) {
            // no method reference here: see the compiler flags in the root pom (first use may be on a full stack)
        }
        return mapping;
    }

    /** Claims the next aligned slot of {@code length} bytes in the hint range; 0 (no hint) if the range cannot hold it. */
    static long alignedHint(long length, long alignment) {
        long span = (length + alignment - 1) & -alignment;
        if (span <= 0 || span > HINT_END - HINT_BASE) {
            return 0L;
        }
        while (true) {
            long cursor = HINT_CURSOR.get();
            long start = (cursor + alignment - 1) & -alignment;
            long next = start + span;
            if (next > HINT_END || next < start) {
                HINT_CURSOR.compareAndSet(cursor, HINT_BASE);
            } else if (HINT_CURSOR.compareAndSet(cursor, next)) {
                return start;
            }
        }
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
