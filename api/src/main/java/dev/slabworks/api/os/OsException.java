package dev.slabworks.api.os;

/** A kernel call failed; the message names the call, its arguments and the errno. */
public class OsException extends RuntimeException {
    private final Syscall syscall;
    private final int errno;

    public OsException(Syscall syscall, int errno, String arguments) {
        super(syscall.cName() + "(" + arguments + ") failed: " + Errno.describe(errno));
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
