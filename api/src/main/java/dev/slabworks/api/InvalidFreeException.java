package dev.slabworks.api;

import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.ThreadStats;

/**
 * An address given to {@code free}, {@code reallocate} or {@code usableSize} is not a live block
 * of this allocator. The allocator changed nothing before throwing it.
 */
public class InvalidFreeException extends IllegalArgumentException {

    public enum Kind {
        /** Not inside any memory this allocator has mapped now (includes null, and freed-then-unmapped). */
        FOREIGN(Stat.INVALID_FREE_FOREIGN),
        /** Inside the allocator's memory but not the start of a block. */
        INTERIOR(Stat.INVALID_FREE_INTERIOR),
        /** The start of a block that is not allocated now. */
        DOUBLE_FREE(Stat.INVALID_FREE_DOUBLE);

        private final Stat stat;

        Kind(Stat stat) {
            this.stat = stat;
        }

        /** The stats row that counts rejections of this kind. */
        public Stat stat() {
            return stat;
        }
    }

    private final Kind kind;
    private final long address;

    public InvalidFreeException(Kind kind, long address, String detail) {
        super(kind + " address 0x" + Long.toHexString(address) + (detail.isEmpty() ? "" : ": " + detail));
        this.kind = kind;
        this.address = address;
    }

    /** Counts the rejection in {@code stats} and returns the exception for the caller to throw. */
    public static InvalidFreeException rejected(Kind kind, long address, ThreadStats stats, String detail) {
        stats.increment(kind.stat());
        return new InvalidFreeException(kind, address, detail);
    }

    public Kind kind() {
        return kind;
    }

    public long address() {
        return address;
    }
}
