package dev.slabworks.testkit.contract;

import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Kernel;
import dev.slabworks.api.os.Syscall;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * A {@link Kernel} that passes every call to a real one except those it was told to fail: a failed call is not
 * made at all and returns {@code -errno}, so a refused {@code munmap} leaves its mapping mapped, as the kernel
 * would. Give it to an allocator through {@code new Os(kernel)} and {@code AllocatorFactory.create(knobs, os)}.
 *
 * <p>What fails, per call kind ({@link Syscall}), counted from when the plan is set:
 * <ul>
 *   <li>{@link #failNth}: the n-th call from now, once; {@link #failNext} is the first;</li>
 *   <li>{@link #failAlways}: every call until {@link #recover};</li>
 *   <li>{@link #pinNextMunmap}: the next {@code munmap}, and every later one of the same address, for good
 *       (until {@link #recover}): one mapping the kernel will not give up, the others unaffected.</li>
 * </ul>
 * It also keeps its own view of what is mapped through it (what the real {@code mmap} gave and the real
 * {@code munmap} took back), so a test can check that an allocator released everything without trusting the
 * allocator's or the {@code Os}'s own accounting. Thread-safe (one lock: kernel calls are slow paths).
 */
public final class FaultInjectingKernel implements Kernel {
    private static final int KINDS = Syscall.values().length;

    private final Kernel real;
    private final long[] calls = new long[KINDS];
    private final long[] injected = new long[KINDS];
    private final long[] succeeded = new long[KINDS];
    /** Per kind: calls numbered {@code [failFrom, failTo)} (by {@link #calls}) fail with {@code errno}. */
    private final long[] failFrom = new long[KINDS];
    private final long[] failTo = new long[KINDS];
    private final int[] errno = new int[KINDS];
    /** {@link #pinNextMunmap}: the errno, and the address pinned (-1: the next munmap picks it). */
    private int pinErrno;
    private long pinned = -1;
    /** Address to length of every mapping made through this kernel and not unmapped. */
    private final Map<Long, Long> mapped = new ConcurrentHashMap<>();

    /** Over the C library's kernel. */
    public FaultInjectingKernel() {
        this(Kernel.libc());
    }

    /** Over {@code real}, which makes the calls that are not failed. */
    public FaultInjectingKernel(Kernel real) {
        this.real = real;
    }

    /** The {@code n}-th call of {@code call} from now (1: the next one) fails with {@code errno}, once. */
    public synchronized FaultInjectingKernel failNth(Syscall call, long n, int errno) {
        if (n < 1) {
            throw new IllegalArgumentException("calls are counted from 1: " + n);
        }
        return plan(call, calls[call.ordinal()] + n - 1, 1, errno);
    }

    /** The next call of {@code call} fails with {@code errno}, once. */
    public FaultInjectingKernel failNext(Syscall call, int errno) {
        return failNth(call, 1, errno);
    }

    /** Every call of {@code call} from now fails with {@code errno}, until {@link #recover}. */
    public synchronized FaultInjectingKernel failAlways(Syscall call, int errno) {
        return plan(call, calls[call.ordinal()], Long.MAX_VALUE - calls[call.ordinal()], errno);
    }

    /**
     * The next {@code munmap} fails with {@code errno}, and so does every later {@code munmap} of the same address
     * until {@link #recover}: that mapping stays mapped, every other one is released as usual.
     */
    public synchronized FaultInjectingKernel pinNextMunmap(int errno) {
        pinErrno = errno;
        pinned = -1;
        return this;
    }

    /** Every call succeeds again (as far as the real kernel lets it). */
    public synchronized void recover() {
        java.util.Arrays.fill(failFrom, 0);
        java.util.Arrays.fill(failTo, 0);
        pinErrno = 0;
        pinned = -1;
    }

    /** Calls of {@code call} asked of this kernel, failed or not. */
    public synchronized long calls(Syscall call) {
        return calls[call.ordinal()];
    }

    /** Calls of {@code call} this kernel failed on purpose. */
    public synchronized long injected(Syscall call) {
        return injected[call.ordinal()];
    }

    /** Calls of {@code call} the real kernel made and that succeeded. */
    public synchronized long succeeded(Syscall call) {
        return succeeded[call.ordinal()];
    }

    /** Mappings made through this kernel that are still mapped, by the kernel's own answers. */
    public int mappingsHeld() {
        return mapped.size();
    }

    /** Bytes of {@link #mappingsHeld}. */
    public long bytesHeld() {
        long sum = 0;
        for (long length : mapped.values()) {
            sum += length;
        }
        return sum;
    }

    @Override
    public long mmap(long hint, long length) {
        int e = injectFor(Syscall.MMAP, 0);
        if (e != 0) {
            return -e;
        }
        long address = real.mmap(hint, length);
        if (address >= 0) {
            mapped.put(address, length);
            countSuccess(Syscall.MMAP);
        }
        return address;
    }

    @Override
    public int munmap(long address, long length) {
        return pass(Syscall.MUNMAP, address, () -> {
            int rc = real.munmap(address, length);
            if (rc == 0 && mapped.get(address) instanceof Long held && held == length) {
                mapped.remove(address);
            }
            return rc;
        });
    }

    @Override
    public int madvise(long address, long length, Advice advice) {
        return pass(Syscall.MADVISE, address, () -> real.madvise(address, length, advice));
    }

    @Override
    public int mincore(long address, long length, long vector) {
        return pass(Syscall.MINCORE, address, () -> real.mincore(address, length, vector));
    }

    @Override
    public int membarrier() {
        return pass(Syscall.MEMBARRIER, 0, real::membarrier);
    }

    @Override
    public int getrusage(long usage) {
        return pass(Syscall.GETRUSAGE, 0, () -> real.getrusage(usage));
    }

    /** Fails the call if the plan says so, else makes it through {@code realCall} and counts a success. */
    private int pass(Syscall call, long address, IntSupplier realCall) {
        int e = injectFor(call, address);
        if (e != 0) {
            return -e;
        }
        int rc = realCall.getAsInt();
        if (rc == 0) {
            countSuccess(call);
        }
        return rc;
    }

    private FaultInjectingKernel plan(Syscall call, long from, long count, int e) {
        if (e <= 0) {
            throw new IllegalArgumentException("an errno is positive: " + e);
        }
        int k = call.ordinal();
        failFrom[k] = from;
        failTo[k] = from + count;
        errno[k] = e;
        return this;
    }

    /** Numbers this call and decides: the errno to fail it with, or 0 to make it. */
    private synchronized int injectFor(Syscall call, long address) {
        int k = call.ordinal();
        long n = calls[k]++;
        int e = n >= failFrom[k] && n < failTo[k] ? errno[k] : 0;
        if (e == 0 && call == Syscall.MUNMAP && pinErrno != 0) {
            if (pinned == -1) {
                pinned = address;
            }
            if (pinned == address) {
                e = pinErrno;
            }
        }
        if (e != 0) {
            injected[k]++;
        }
        return e;
    }

    private synchronized void countSuccess(Syscall call) {
        succeeded[call.ordinal()]++;
    }

    @Override
    public String toString() {
        return "fault-injecting kernel over " + real;
    }
}
