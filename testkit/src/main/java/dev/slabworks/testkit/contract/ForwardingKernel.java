package dev.slabworks.testkit.contract;

import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Kernel;

/** The C library's kernel, call for call: a test's kernel overrides the one call it plays with. */
public abstract class ForwardingKernel implements Kernel {
    private final Kernel libc = Kernel.libc();

    @Override
    public long mmap(long hint, long length) {
        return libc.mmap(hint, length);
    }

    @Override
    public int munmap(long address, long length) {
        return libc.munmap(address, length);
    }

    @Override
    public int madvise(long address, long length, Advice advice) {
        return libc.madvise(address, length, advice);
    }

    @Override
    public int mincore(long address, long length, long vector) {
        return libc.mincore(address, length, vector);
    }

    @Override
    public int membarrier() {
        return libc.membarrier();
    }

    @Override
    public int getrusage(long usage) {
        return libc.getrusage(usage);
    }
}
