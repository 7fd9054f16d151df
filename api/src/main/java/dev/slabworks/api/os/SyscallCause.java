package dev.slabworks.api.os;

import java.util.Locale;

/**
 * Why the OS layer made a call: every counted call is attributed to one cause, given by its call site (each
 * site knows its cause statically, so attributing costs an index, not a branch). The seed report's table said
 * how many {@code mmap}s there were; this says what they were for.
 *
 * <p>How an aligned mapping counts: its first {@code mmap} is its caller's cause; when the kernel placed it
 * off the alignment, the {@code munmap} of that try and the over-reserved retry are {@link #ALIGNMENT} (the
 * seed's family trimmed the over-reserve with more {@code munmap}s; slabworks keeps it whole, see {@link Os}).
 */
public enum SyscallCause {
    /** A SuperSlab (mimalloc-like: a segment; segregated-fit: a chunk) mapped because no empty one was kept. */
    SUPERSLAB_MAP("SuperSlab map"),
    /** SuperSlabs mapped ahead of demand when the allocator starts ({@code ss.prewarm}). */
    PREWARM("prewarm"),
    /** An aligned mapping's misplaced first try, unmapped, and its over-reserved retry. */
    ALIGNMENT("alignment"),
    /**
     * An empty SuperSlab, segment or chunk unmapped: pushed out of the LRU (or the pool of empty chunks), at once with
     * {@code ss.lru.size = 0}, or by {@code trim()}.
     */
    LRU_EVICTION("LRU eviction"),
    /** Blocks above 32 KiB: their mappings, and what the direct-mapping cache unmaps (evictions, trim). */
    DIRECT("direct"),
    /** The mid path: a block's own mapping (or a pooled chunk), its {@code madvise} and its {@code munmap}. */
    MID("mid"),
    /** {@code madvise} of a free slab or page that stayed free for {@code purge.delay.ms}. */
    PURGE("purge"),
    /** {@code mincore} before {@code free} trusts an address (MINCORE, MINCORE_CACHED; the mid path's header). */
    VALIDATION("validation"),
    /** Every mapping {@code close()} returns. */
    CLOSE("close"),
    /** A {@code munmap} the kernel refused once, tried again (by a later release, {@code trim()} or close). */
    RETRY("munmap retry"),
    /** {@code membarrier} of the lifecycle handshake (close, a slab's first remote free). */
    LIFECYCLE("lifecycle"),
    /** {@code getrusage} for the page-fault rows of the stats. */
    STATS("stats"),
    /** A call made without a cause: tools and tests, never an allocator (the contract suite checks). */
    OTHER("other");

    private final String label;

    SyscallCause(String label) {
        this.label = label;
    }

    /** How tables print it: {@code SuperSlab map}. */
    public String label() {
        return label;
    }

    /** The name in results files: {@code superslab_map}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
