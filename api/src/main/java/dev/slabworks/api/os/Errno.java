package dev.slabworks.api.os;

/** Linux errno values the OS layer meets, with their symbolic names. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;

    private Errno() {
    }

    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case EINTR -> "EINTR";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EINVAL -> "EINVAL";
            case ENOSYS -> "ENOSYS";
            default -> "errno " + errno;
        };
    }

    /** {@code EINVAL (22): Invalid argument}, the text from the C library's {@code strerror}. */
    public static String describe(int errno) {
        return name(errno) + " (" + errno + "): " + NativeLibc.strerror(errno);
    }
}
