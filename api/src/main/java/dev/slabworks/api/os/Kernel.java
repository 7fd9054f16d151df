package dev.slabworks.api.os;

/**
 * The kernel calls {@link Os} makes, one method each and nothing else: what an {@code Os} is built over, so
 * that a test can hand it a kernel that fails the calls it chooses (snmalloc's PAL plays this part). The real
 * one is {@link #libc()}.
 *
 * <p>Results follow the kernel's own system-call convention: a call that succeeds returns what the C function
 * returns (an address, 0), and one that fails returns {@code -errno}, so nothing is kept per thread between a
 * call and its error. A user-space address is never negative, so for {@link #mmap} too a negative result is
 * {@code -errno}. An implementation neither throws nor counts: turning a result into an exception, and
 * counting and timing the calls, is {@link Os}'s job.
 *
 * <p>A process-wide fact read once when {@link Os} is first used (the page size, the physical memory, whether
 * {@code membarrier} is registered) comes from the C library directly and is not a call of this interface.
 */
public interface Kernel {
    /** The C library's functions, through {@code java.lang.foreign}. */
    static Kernel libc() {
        return LibcKernel.INSTANCE;
    }

    /**
     * {@code mmap(hint, length, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0)}: the
     * address of a fresh zero-filled mapping (at {@code hint} if the kernel agrees; 0 for no hint), or
     * {@code -errno}.
     */
    long mmap(long hint, long length);

    /** {@code munmap(address, length)}: 0, or {@code -errno} (then nothing was unmapped). */
    int munmap(long address, long length);

    /** {@code madvise(address, length, MADV_...)}: 0, or {@code -errno}. */
    int madvise(long address, long length, Advice advice);

    /**
     * {@code mincore(address, length, vector)}: 0 with one byte per page written at {@code vector} (bit 0:
     * resident), or {@code -errno} ({@code -ENOMEM}: part of the range is not mapped).
     */
    int mincore(long address, long length, long vector);

    /** {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0)}: 0, or {@code -errno}. */
    int membarrier();

    /** {@code getrusage(RUSAGE_SELF, usage)} into the {@code struct rusage} at {@code usage}: 0, or {@code -errno}. */
    int getrusage(long usage);
}
