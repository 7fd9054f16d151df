package dev.slabworks.api.os;

/**
 * The real {@link Kernel}: the C library's functions through {@link NativeLibc}, each call's {@code errno}
 * read from the calling thread's scratch segment at once and returned as {@code -errno}.
 */
final class LibcKernel implements Kernel {
    static final LibcKernel INSTANCE = new LibcKernel();

    private static final int PROT = NativeLibc.PROT_READ | NativeLibc.PROT_WRITE;
    private static final int FLAGS = NativeLibc.MAP_PRIVATE | NativeLibc.MAP_ANONYMOUS | NativeLibc.MAP_NORESERVE;

    private LibcKernel() {
    }

    @Override
    public long mmap(long hint, long length) {
        NativeLibc.Scratch s = NativeLibc.scratch();
        long address = NativeLibc.mmap(s, hint, length, PROT, FLAGS, -1, 0L);
        return address == NativeLibc.MAP_FAILED ? failed(s) : address;
    }

    @Override
    public int munmap(long address, long length) {
        NativeLibc.Scratch s = NativeLibc.scratch();
        return NativeLibc.munmap(s, address, length) == 0 ? 0 : failed(s);
    }

    @Override
    public int madvise(long address, long length, Advice advice) {
        NativeLibc.Scratch s = NativeLibc.scratch();
        return NativeLibc.madvise(s, address, length, advice.linuxValue) == 0 ? 0 : failed(s);
    }

    @Override
    public int mincore(long address, long length, long vector) {
        NativeLibc.Scratch s = NativeLibc.scratch();
        return NativeLibc.mincore(s, address, length, vector) == 0 ? 0 : failed(s);
    }

    @Override
    public int membarrier() {
        NativeLibc.Scratch s = NativeLibc.scratch();
        return NativeLibc.membarrier(s, NativeLibc.MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0 ? 0 : failed(s);
    }

    @Override
    public int getrusage(long usage) {
        NativeLibc.Scratch s = NativeLibc.scratch();
        return NativeLibc.getrusage(s, NativeLibc.RUSAGE_SELF, usage) == 0 ? 0 : failed(s);
    }

    /**
     * {@code -errno} of the call that just failed. A failure that set no errno (a {@code membarrier} where this
     * machine has no system-call number for it) reads as {@code ENOSYS}, never as a success.
     */
    private static int failed(NativeLibc.Scratch s) {
        int errno = s.errno();
        return -(errno > 0 ? errno : Errno.ENOSYS);
    }

    @Override
    public String toString() {
        return "libc";
    }
}
