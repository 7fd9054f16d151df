package dev.slabworks.api.os;

/** The kernel calls the OS layer makes, each counted and timed per {@link Os} instance. */
public enum Syscall {
    MMAP("mmap"),
    MUNMAP("munmap"),
    MADVISE("madvise"),
    MINCORE("mincore"),
    GETRUSAGE("getrusage"),
    MEMBARRIER("membarrier");

    private final String cName;

    Syscall(String cName) {
        this.cName = cName;
    }

    /** The C name, as the seed report's syscall table spells it. */
    public String cName() {
        return cName;
    }
}
