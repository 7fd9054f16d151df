package dev.slabworks.api.os;

import java.lang.foreign.Arena;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OS layer: the one place slabworks talks to the kernel (mimalloc's {@code os.c}, snmalloc's
 * PAL), built over a {@link Kernel} (the C library's, or a test's that fails calls on purpose). An allocator
 * is given one instance by its factory and keeps it for its whole life; every call it makes through it is
 * counted and timed in {@link #syscalls()}, by call and by the {@link SyscallCause} its call site names, and the
 * bytes it holds mapped are tracked in {@link #mappedBytes()}. The methods without a cause count as
 * {@link SyscallCause#OTHER}: for tools and tests, not allocators.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Every {@link Mapping} is one {@code mmap} and, when released, one {@code munmap}, so an
 *       allocator that released everything shows {@code mmap == munmap}. Aligned mappings are asked
 *       for at an aligned hint in an address range of their own (see {@link AlignedHints}), so the
 *       kernel almost always places them there and one {@code mmap} suffices; when it puts one
 *       elsewhere, that try is unmapped and the range over-reserved by the alignment and kept whole
 *       rather than trimmed (trimming would add unmatched {@code munmap}s, and untouched reserve
 *       costs no memory).</li>
 *   <li>{@link #isMapped} and {@link #residentBytes} never read the memory they ask about.</li>
 *   <li>No mapping is larger than {@link #MAX_MAPPING} (the machine's physical memory): a larger request
 *       raises {@link OutOfNativeMemoryError} before any call. Mappings are {@code MAP_NORESERVE}, so the
 *       kernel would grant almost any size and the process would die on first touch instead; and every
 *       byte mapped costs the allocators' region maps Java heap in proportion.</li>
 *   <li>Only calls that succeeded are counted in {@link #syscalls()}; a failed one is counted in
 *       {@link #failures(Syscall)} instead, and the last one is kept ({@link #lastFailure()}). So
 *       {@code mmap == munmap} holds once everything is released, whatever failed on the way.</li>
 * </ul>
 *
 * <p>What a failed call means for the caller (docs/DESIGN.md §5, "Failures"):
 * <ul>
 *   <li><b>{@code mmap}</b> ({@link #map}, {@link #mapAligned}): throws {@link OutOfNativeMemoryError} for
 *       {@code ENOMEM} and {@link OsException} naming the errno otherwise. Nothing was mapped, so the caller
 *       must not have changed anything yet: every strategy maps before it changes its own state, which is
 *       why {@code Lifecycle} leaves an allocator usable after either exception.</li>
 *   <li><b>{@code munmap}</b> ({@link #unmap}): never throws. The caller has given the memory up (it forgot
 *       the mapping), and this layer keeps it: the mapping stays mapped and counted (mapped bytes, live
 *       mappings, {@link #unreleasedMappings()}), and every later {@link #unmap} and {@link #retryUnreleased}
 *       tries it again. So nothing is lost: an allocator's {@code close()} retries what is left, and only if
 *       the kernel still refuses does it report it and throw.</li>
 *   <li><b>{@code madvise}</b> ({@link #advise}): never throws; returns false. The range stays mapped with
 *       contents undefined as after any advice; the caller keeps treating it as free memory not yet given
 *       back (and may advise it again later).</li>
 *   <li><b>{@code mincore}</b> ({@link #isMapped}): {@code ENOMEM} is the answer "not mapped"; any other errno
 *       throws {@link OsException} before the caller changed anything.</li>
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

    private final Kernel kernel;
    private final SyscallCounters syscalls = new SyscallCounters();
    private final SyscallFailures failures = new SyscallFailures();
    private final AtomicLong mappedBytes = new AtomicLong();
    private final AtomicLong mappedBytesPeak = new AtomicLong();
    private final AtomicLong mappingsLive = new AtomicLong();
    /** The mappings made and not yet released, for {@link #residentBytes}: changed on map and unmap only. */
    private final Set<Mapping> live = ConcurrentHashMap.newKeySet();
    /** Mappings whose {@code munmap} failed: still mapped, still in {@link #live}, retried by every release. */
    private final Set<Mapping> unreleased = ConcurrentHashMap.newKeySet();
    /** Resident bytes and resource usage: the calls that measure rather than manage memory. */
    private final Measurement measurement;
    /**
     * Where {@link #isMapped}'s {@code mincore} writes its one residency byte, which nobody reads: shared by every
     * thread (the kernel's racing writes to it are harmless), so the check costs no per-thread look-up.
     */
    private static final long DISCARD = Arena.global().allocate(1).address();

    static {
        // Done now rather than on the first mapping, which may come inside a caller's allocate deep in its stack:
        // a StackOverflowError in a class's static initializer, or in the bootstrap of a record's hashCode and
        // equals (the live set hashes Mappings), breaks that class for the whole JVM (as Lifecycle.initialize says).
        for (Class<?> c : new Class<?>[] {AlignedHints.class, SyscallFailures.class, Measurement.class}) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        Mapping probe = new Mapping(0, 0, 0, 0);
        probe.hashCode(); // each call bootstraps its record method once; the results are not wanted
        probe.equals(probe);
    }

    /** An OS layer over the C library: what {@code AllocatorFactory.create(knobs)} gives an allocator. */
    public Os() {
        this(Kernel.libc());
    }

    /** An OS layer over {@code kernel}: a test's, to make calls fail. */
    public Os(Kernel kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.measurement = new Measurement(kernel, syscalls, failures);
    }

    public SyscallCounters syscalls() {
        return syscalls;
    }

    /** Calls of {@code call} that failed (and so are not in {@link #syscalls()}). */
    public long failures(Syscall call) {
        return failures.count(call);
    }

    /** The last call that failed, as the exception that names it (thrown or not, see the class comment); or null. */
    public OsException lastFailure() {
        return failures.last();
    }

    /** Bytes this instance holds mapped now (reservations included). */
    public long mappedBytes() {
        return mappedBytes.get();
    }

    public long mappedBytesPeak() {
        return mappedBytesPeak.get();
    }

    /** Mappings made and not yet released (those whose {@code munmap} failed included). */
    public long mappingsLive() {
        return mappingsLive.get();
    }

    /** Mappings whose {@code munmap} failed and that are still mapped, waiting for a retry. */
    public int unreleasedMappings() {
        return unreleased.size();
    }

    /**
     * The {@code mincore} calls {@link #residentBytes} made: the workbench measuring, not the allocator
     * working, so they are not in {@link #syscalls()}.
     */
    public SyscallCounters measurementSyscalls() {
        return measurement.residencySyscalls();
    }

    /**
     * Bytes of this instance's live mappings (whole reservations) that are resident in RAM now, by
     * {@code mincore} over each, 4,096 pages a call, into a vector of this thread.
     * Reads no mapped memory and may run on any thread while others map, unmap and touch: a mapping released
     * meanwhile makes {@code mincore} fail with {@code ENOMEM} and counts as not resident. Costs one call per
     * 16 MiB mapped; counted in {@link #measurementSyscalls()}.
     */
    public long residentBytes() {
        return measurement.residentBytes(live);
    }

    /**
     * Maps {@code size} bytes (rounded up to pages), readable and writable, zero-filled. Throws
     * {@link OutOfNativeMemoryError} ({@code ENOMEM}) or {@link OsException} with nothing mapped.
     */
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
     * least a page). See the class comment for how alignment is obtained without trimming. Throws like
     * {@link #map}, with nothing mapped (a misplaced first try that could not be unmapped is kept for a retry
     * like any mapping whose {@code munmap} failed). The first {@code mmap} counts under {@code cause}; a misplaced
     * try's {@code munmap} and the over-reserved retry under {@link SyscallCause#ALIGNMENT}.
     */
    public Mapping mapAligned(long size, long alignment, SyscallCause cause) {
        if (alignment < PAGE_SIZE || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two >= page size: " + alignment);
        }
        long length = pageRound(size);
        long address = rawMap(AlignedHints.next(length, alignment), length, cause);
        if ((address & (alignment - 1)) == 0) {
            return account(new Mapping(address, length, address, length));
        }
        Mapping misplaced = new Mapping(address, length, address, length);
        if (!release(misplaced, SyscallCause.ALIGNMENT)) {
            account(misplaced);
            unreleased.add(misplaced);
        }
        long reserved = length + alignment - PAGE_SIZE;
        long reservedAddress = rawMap(0L, reserved, SyscallCause.ALIGNMENT);
        address = (reservedAddress + alignment - 1) & -alignment;
        return account(new Mapping(address, length, reservedAddress, reserved));
    }

    /** {@link #mapAligned(long, long, SyscallCause)} for tools and tests ({@link SyscallCause#OTHER}). */
    public Mapping mapAligned(long size, long alignment) {
        return mapAligned(size, alignment, SyscallCause.OTHER);
    }

    /**
     * Releases a mapping made by this instance: one {@code munmap} of its whole reservation. Never throws for
     * a failed {@code munmap}: the mapping is then kept, still mapped and counted, and retried (see the class
     * comment); returns whether it was released now. A success also retries what earlier failures kept
     * (counted as {@link SyscallCause#RETRY}).
     */
    public boolean unmap(Mapping mapping, SyscallCause cause) {
        if (unreleased.contains(mapping) || !live.remove(mapping)) {
            throw new IllegalStateException("not a live mapping of this OS layer (released twice?): " + mapping);
        }
        // Out of the live set before the munmap: once it returns, the kernel may give the same range to another
        // thread's mmap, whose Mapping is equal to this one (a record), and that one must stay in the set.
        if (!release(mapping, cause)) {
            live.add(mapping);
            unreleased.add(mapping);
            return false;
        }
        uncount(mapping);
        if (!unreleased.isEmpty()) {
            retryUnreleased();
        }
        return true;
    }

    /** {@link #unmap(Mapping, SyscallCause)} for tools and tests ({@link SyscallCause#OTHER}). */
    public boolean unmap(Mapping mapping) {
        return unmap(mapping, SyscallCause.OTHER);
    }

    /**
     * Tries once more to release every mapping whose {@code munmap} failed; returns how many are still mapped.
     * An allocator's {@code trim()} and {@code close()} call it (through {@link #unmap} or directly).
     */
    public int retryUnreleased() {
        for (Mapping m : unreleased) {
            if (unreleased.remove(m)) { // claimed: no other thread retries it meanwhile (a second munmap could hit a new mapping)
                live.remove(m); // before the munmap, as in unmap
                if (release(m, SyscallCause.RETRY)) {
                    uncount(m);
                } else {
                    live.add(m);
                    unreleased.add(m);
                }
            }
        }
        return unreleased.size();
    }

    /**
     * Throws {@link OsException} naming what is still mapped whose {@code munmap} failed: the last step of an
     * allocator's {@code close()}, after it released everything else, called {@link #retryUnreleased} and reported.
     */
    public void requireAllReleased() {
        if (unreleased.isEmpty()) {
            return;
        }
        int count = 0;
        long bytes = 0;
        for (Mapping m : unreleased) {
            count++;
            bytes += m.reservedSize();
        }
        OsException last = failures.last();
        throw new OsException(count + " mapping(s) of " + bytes + " bytes in all could not be unmapped: "
                + last.getMessage(), Syscall.MUNMAP, last.errno());
    }

    /**
     * {@code munmap} of an arbitrary range, outside the mapping accounting: for tests and tools
     * that need the kernel's own answer (a failure throws {@link OsException} here). Allocators release
     * through {@link #unmap(Mapping)}.
     */
    public void unmapRange(long address, long length) {
        OsException failure = rawUnmap(address, length, SyscallCause.OTHER);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Gives the pages of {@code [address, address + length)} back to the kernel; the range stays mapped.
     * Returns false if the kernel refused (counted, kept as {@link #lastFailure()}, not thrown): the pages'
     * contents are then undefined as after the advice, and the caller may try again later.
     */
    public boolean advise(long address, long length, Advice advice, SyscallCause cause) {
        long start = System.nanoTime();
        int rc = kernel.madvise(address, length, advice);
        if (rc != 0) {
            failures.record(Syscall.MADVISE, -rc, hex(address) + ", " + length + ", MADV_" + advice.name());
            return false;
        }
        syscalls.record(Syscall.MADVISE, cause, System.nanoTime() - start);
        return true;
    }

    /** {@link #advise(long, long, Advice, SyscallCause)} for tools and tests ({@link SyscallCause#OTHER}). */
    public boolean advise(long address, long length, Advice advice) {
        return advise(address, length, advice, SyscallCause.OTHER);
    }

    /**
     * Whether the page containing {@code address} is mapped, by {@code mincore}: the seed's check
     * before reading a header. Never touches the address. Addresses outside the user range are
     * simply not mapped.
     */
    public boolean isMapped(long address, SyscallCause cause) {
        long page = address & -PAGE_SIZE;
        long start = System.nanoTime();
        int rc = kernel.mincore(page, PAGE_SIZE, DISCARD);
        if (rc != 0 && rc != -Errno.ENOMEM) {
            throw failures.record(Syscall.MINCORE, -rc, hex(page) + ", " + PAGE_SIZE);
        }
        syscalls.record(Syscall.MINCORE, cause, System.nanoTime() - start); // ENOMEM is an answer: "not mapped"
        return rc == 0;
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
        long start = System.nanoTime();
        int rc = kernel.membarrier();
        if (rc != 0) {
            throw failures.record(Syscall.MEMBARRIER, -rc, "MEMBARRIER_CMD_PRIVATE_EXPEDITED");
        }
        syscalls.record(Syscall.MEMBARRIER, SyscallCause.LIFECYCLE, System.nanoTime() - start);
    }

    /** {@code getrusage(RUSAGE_SELF)}: process-wide, counted like every other call of this instance. */
    public ResourceUsage resourceUsage() {
        return measurement.resourceUsage();
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
        long start = System.nanoTime();
        long address = kernel.mmap(hint, length);
        long nanos = System.nanoTime() - start;
        if (address < 0) {
            int errno = (int) -address;
            String args = hex(hint) + ", " + length + ", PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE";
            OsException failure = failures.record(Syscall.MMAP, errno, args);
            if (errno == Errno.ENOMEM) {
                OutOfNativeMemoryError oom = new OutOfNativeMemoryError(failure.getMessage());
                oom.initCause(failure);
                throw oom;
            }
            throw failure;
        }
        syscalls.record(Syscall.MMAP, cause, nanos);
        return address;
    }

    /** One {@code munmap}: null, or the failure (counted and kept as {@link #lastFailure}, not thrown). */
    private OsException rawUnmap(long address, long length, SyscallCause cause) {
        long start = System.nanoTime();
        int rc = kernel.munmap(address, length);
        if (rc != 0) {
            return failures.record(Syscall.MUNMAP, -rc, hex(address) + ", " + length);
        }
        syscalls.record(Syscall.MUNMAP, cause, System.nanoTime() - start);
        return null;
    }

    private boolean release(Mapping mapping, SyscallCause cause) {
        return rawUnmap(mapping.reservedAddress(), mapping.reservedSize(), cause) == null;
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

    /** A released mapping's bytes and count out of the totals (it left {@link #live} before its {@code munmap}). */
    private void uncount(Mapping mapping) {
        mappedBytes.addAndGet(-mapping.reservedSize());
        mappingsLive.decrementAndGet();
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
