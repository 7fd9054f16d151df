package dev.slabworks.api.os;

/** The {@code madvise} advice an allocator uses to give pages back while keeping the range mapped. */
public enum Advice {
    /** Pages are dropped at once; the next touch faults in a zero page. */
    DONTNEED(4),
    /** Pages are dropped lazily when the kernel needs memory; contents are undefined until written. */
    FREE(8);

    /** The Linux value of {@code MADV_*} (the same on x86-64 and aarch64). */
    final int linuxValue;

    Advice(int linuxValue) {
        this.linuxValue = linuxValue;
    }
}
