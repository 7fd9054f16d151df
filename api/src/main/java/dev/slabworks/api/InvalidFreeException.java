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

    private InvalidFreeException(Kind kind, long address, String detail) {
        super(kind + " address 0x" + Long.toHexString(address) + (detail.isEmpty() ? "" : ": " + detail));
        this.kind = kind;
        this.address = address;
    }

    /**
     * A {@link Kind#FOREIGN} rejection of {@code address}, counted in {@code stats}: not in memory the allocator maps
     * now. The allocator throws what it returns; every rejection is made by one of these four, so each is counted
     * and worded the same way in every strategy.
     */
    public static InvalidFreeException foreign(long address, ThreadStats stats) {
        return rejected(Kind.FOREIGN, address, stats, "not mapped by this allocator");
    }

    /** A {@link Kind#INTERIOR} rejection, counted: inside the allocator's memory, {@code where} says where. */
    public static InvalidFreeException interior(long address, ThreadStats stats, String where) {
        return rejected(Kind.INTERIOR, address, stats, where);
    }

    /** A {@link Kind#DOUBLE_FREE} rejection, counted: the start of a block that is not allocated now. */
    public static InvalidFreeException doubleFree(long address, ThreadStats stats) {
        return doubleFree(address, stats, "block is not allocated");
    }

    /** A {@link Kind#DOUBLE_FREE} rejection, counted, with what the allocator knows of the block. */
    public static InvalidFreeException doubleFree(long address, ThreadStats stats, String detail) {
        return rejected(Kind.DOUBLE_FREE, address, stats, detail);
    }

    private static InvalidFreeException rejected(Kind kind, long address, ThreadStats stats, String detail) {
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
