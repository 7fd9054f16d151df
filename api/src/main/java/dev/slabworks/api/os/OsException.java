package dev.slabworks.api.os;

/**
 * A kernel call failed; the message names the call, its arguments and the errno. Thrown by {@link Os} where the
 * caller cannot go on without the call ({@code mmap} with an errno other than {@code ENOMEM}, {@code mincore}
 * with one other than {@code ENOMEM}), always before the caller changed anything; kept, not thrown, where it
 * can ({@code munmap}, {@code madvise}: see {@link Os#lastFailure()}).
 */
public class OsException extends RuntimeException {
    private final Syscall syscall;
    private final int errno;

    public OsException(Syscall syscall, int errno, String arguments) {
        this(syscall.cName() + "(" + arguments + ") failed: " + Errno.describe(errno), syscall, errno);
    }

    /** A failure of {@code syscall} with {@code errno} that {@code message} describes whole. */
    public OsException(String message, Syscall syscall, int errno) {
        super(message);
        this.syscall = syscall;
        this.errno = errno;
    }

    public Syscall syscall() {
        return syscall;
    }

    public int errno() {
        return errno;
    }

    /** The symbolic name, e.g. {@code EINVAL}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
