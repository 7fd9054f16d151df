package dev.slabworks.api.knobs;

import java.util.List;

/**
 * One declared knob: key, type, default, unit, range, meaning and environment name (the seed's
 * {@code HAKMEM_*} name where the seed has one, {@code SLABWORKS_*} otherwise). Each module declares its
 * own knobs once, in a {@link KnobTable} of its own; the constants here are api's, the knobs of the parts
 * it shares between strategies (SuperSlab size and LRU, front cache, purging, direct mappings, validation,
 * diagnostics). A strategy's own knobs are in its module (listed by {@code AllocatorFactory.knobs()}), the
 * harness's in the harness; a {@link KnobRegistry} puts them together and refuses two with one name.
 * Values are read only through a {@link Knobs} snapshot, which applies the precedence
 * command line ({@code --set key=value}) &gt; system property {@code slabworks.<key>} &gt;
 * environment &gt; default.
 *
 * <p>{@link #STATS} is the one knob {@linkplain #perJvm() read once per JVM}: a JIT constant, resolved by
 * {@link Knobs#perJvm} from the system property or environment (the harness's {@code main} turns
 * {@code --set stats=...} into that property before any allocator exists).
 *
 * <p>Knobs compare by identity: two declarations are two knobs, and a registry refuses the second.
 */
public final class Knob {
    private static final KnobTable TABLE = new KnobTable();

    // ---- SuperSlabs and their LRU (strategy-superslab, strategy-shared-pool; the LRU also mimalloc-like) ----
    public static final Knob SS_SIZE = TABLE.size("ss.size", "2MiB").range(64 << 10, 1L << 30).powerOfTwo().unit("bytes")
            .meaning("Size and alignment of a SuperSlab; a power of two.");
    public static final Knob SS_LRU_SIZE = TABLE.integer("ss.lru.size", 16).range(0, 1 << 16).unit("SuperSlabs").environment("HAKMEM_SS_LRU_SIZE")
            .meaning("Empty SuperSlabs (mimalloc-like: empty segments) kept mapped for reuse; 0 unmaps each one as it "
                    + "empties (the seed's churn).");
    public static final Knob SS_LRU_DEBUG = TABLE.flag("ss.lru.debug", false).environment("HAKMEM_SS_LRU_DEBUG")
            .meaning("Print the LRU's hits, misses and evictions when the allocator closes.");
    public static final Knob SS_PREWARM = TABLE.integer("ss.prewarm", 4).range(0, 1 << 16).unit("SuperSlabs").environment("HAKMEM_SS_PREWARM")
            .meaning("SuperSlabs mapped ahead into the LRU when the allocator starts.");
    public static final Knob SS_PREWARM_DEBUG = TABLE.flag("ss.prewarm.debug", false).environment("HAKMEM_SS_PREWARM_DEBUG")
            .meaning("Print what prewarm mapped and how much of it was used when the allocator closes.");
    public static final Knob SLAB_START_SHARED = TABLE.flag("slab.start.shared", true)
            .meaning("Start a slab shared (its owner's frees CAS from the first, and the first free from another thread "
                    + "waits in no membarrier handshake) once another thread has freed into its heap's slabs, into the "
                    + "last slab of its place (shared-pool's slot, superslab's SuperSlab), or, for a new heap, into the "
                    + "heap of an ended thread reclaimed last; false: every slab starts private and each first remote "
                    + "free waits (superslab, shared-pool).");

    // ---- per-thread front cache (FastCache) ----
    public static final Knob FC_CAP = TABLE.integer("fc.cap", 256).range(0, 1 << 16).unit("blocks").environment("HAKMEM_FC_CAP")
            .meaning("Front-cache capacity per size class per thread; 0 disables the front cache.");
    public static final Knob FC_REFILL = TABLE.integer("fc.refill", 32).range(1, 1 << 16).unit("blocks").environment("HAKMEM_FC_REFILL")
            .meaning("Blocks moved into the front cache on a miss (and out of it when it overflows).");
    public static final Knob FC_REMOTE = TABLE.integer("fc.remote", 64).range(0, 1 << 16).unit("blocks")
            .meaning("A free of a block of another thread's slab goes into the freeing thread's front cache, as glibc's "
                    + "tcache takes any chunk, while that class holds fewer than this many blocks there: the thread hands "
                    + "it out again, and it goes back to its slab in batches (one CAS each) when the cache overflows or is "
                    + "drained. Otherwise, and with 0, it goes back to the slab's remote stack at once. Blocks of a heap "
                    + "whose thread has ended always go back, and in superslab those of a SuperSlab a live heap adopted "
                    + "from one (superslab, shared-pool; needs the front cache). The bound counts the thread's own "
                    + "cached blocks too: keep it above fc.refill (the default is twice it), or one refill reaches it.");
    public static final Knob FRONT_STATS = TABLE.flag("front.stats", false).environment("HAKMEM_FRONT_STATS")
            .meaning("Print front-cache hits, misses, refills and flushes when the allocator closes.");
    public static final Knob TINY_FRONT_DIRECT = TABLE.flag("tiny.front.direct", true).environment("HAKMEM_TINY_FRONT_DIRECT")
            .meaning("Small allocations and frees go straight to the per-thread front cache, skipping the middle layer.");

    // ---- purging free slabs and pages (strategy-shared-pool, strategy-mimalloc-like) ----
    public static final Knob PURGE_DELAY_MS = TABLE.integer("purge.delay.ms", 10).range(-1, 3_600_000).unit("ms")
            .meaning("How long a free slab or page stays untouched before its pages are purged; 0 at once, -1 never "
                    + "(the base of an adaptive delay: purge.delay.max.ms).");
    public static final Knob PURGE_DELAY_MAX_MS = TABLE.integer("purge.delay.max.ms", 1000).range(0, 3_600_000).unit("ms")
            .meaning("The longest purge.delay.ms grows to while purges are premature (the purged slab or page taken "
                    + "back within the delay doubles it, at most once per delay; 16 quiet delays halve it again); at or below "
                    + "purge.delay.ms the delay is fixed.");
    public static final Knob PURGE_ADVICE = TABLE.choice("purge.advice", "DONTNEED", "DONTNEED", "FREE")
            .meaning("The madvise advice used to purge: DONTNEED or FREE.");

    // ---- direct mappings (blocks above 32 KiB, every strategy) ----
    public static final Knob DIRECT_CACHE_COUNT = TABLE.integer("direct.cache.count", 16).range(0, 256).unit("mappings")
            .meaning("Freed direct mappings (blocks above 32 KiB) kept mapped and registered (not live) for reuse, "
                    + "without a syscall, by an allocate whose granule-rounded size is from half the mapping's size up "
                    + "to all of it; when all are taken the oldest is unmapped to make room. 0 unmaps each one as it "
                    + "is freed.");
    public static final Knob DIRECT_CACHE_BYTES = TABLE.size("direct.cache.bytes", "64MiB").range(0, 1L << 40).unit("bytes")
            .meaning("Bound on the bytes mapped by the freed direct mappings kept for reuse (direct.cache.count); the "
                    + "oldest are unmapped to make room, and a mapping larger than this is unmapped at once. 0 disables "
                    + "the cache.");
    public static final Knob DIRECT_FRONT_BYTES = TABLE.size("direct.front.bytes", "4MiB").range(0, 1L << 40).unit("bytes")
            .meaning("The largest freed direct mapping a thread's heap keeps for that thread's next large allocation, "
                    + "one per heap, beside the shared cache and outside its bounds (no atomic either way); the thread's "
                    + "own trim() unmaps it; once the thread has ended, the reclamation of its heap or the next large "
                    + "allocation that misses the cache gives it to the cache (unmapped past its bounds), and any trim() "
                    + "unmaps it. 0, or a disabled cache, keeps none (superslab, shared-pool, mimalloc-like).");
    public static final Knob REALLOC_GROWTH = TABLE.integer("realloc.growth", 50).range(0, 400).unit("%")
            .meaning("A reallocation that moves a block to a larger size above 32 KiB asks for this much more than the "
                    + "new size, so that a buffer that keeps growing is copied again only when it has grown past it "
                    + "(geometric growth; the headroom is address space until written). 0: exactly the new size.");

    // ---- the mid path (blocks between small.max and 32 KiB, every strategy; docs/DESIGN.md §22) ----
    public static final Knob SMALL_MAX = TABLE.size("small.max", "32KiB").range(16, 32 << 10).unit("bytes")
            .meaning("The largest request the size classes serve; larger ones up to 32 KiB take the mid path (a "
                    + "16-byte header, and memory of their own). 32 KiB, every strategy's own limit, means no mid path; "
                    + "the seed's tiny classes stopped at 1023 bytes.");
    public static final Knob MID_POLICY = TABLE.choice("mid.policy", "POOLED", "BLOCK", "POOLED")
            .meaning("Where a mid block's memory comes from: BLOCK maps each block on its own and unmaps it when freed "
                    + "(the seed); POOLED carves the blocks of a size class from chunks of mid.chunk.size bytes and keeps "
                    + "them for reuse.");
    public static final Knob MID_CHUNK_SIZE = TABLE.size("mid.chunk.size", "256KiB").range(64 << 10, 32L << 20).powerOfTwo()
            .unit("bytes").meaning("Bytes of one chunk of the pooled mid path (mid.policy=POOLED); a power of two.");
    public static final Knob MID_MADVISE = TABLE.flag("mid.madvise", false)
            .meaning("A freed mid block's whole pages are given back with madvise(MADV_DONTNEED) (BLOCK: just before "
                    + "its munmap, as the seed did).");
    public static final Knob MID_VALIDATION = TABLE.choice("mid.validation", "AUTO", "AUTO", "REGISTRY", "MINCORE", "MINCORE_CACHED")
            .meaning("How the mid path's free makes sure an address is its own before it trusts the block's header: "
                    + "the modes of 'validation' (MINCORE: the seed's mincore on every free), AUTO to follow "
                    + "'validation'.");

    // ---- pointer validation in free (docs/DESIGN.md §6) ----
    public static final Knob VALIDATION = TABLE.choice("validation", "AUTO", "AUTO", "REGISTRY", "MINCORE", "MINCORE_CACHED")
            .meaning("How free decides an address is the allocator's before using it: REGISTRY, MINCORE, "
                    + "MINCORE_CACHED, or AUTO for the strategy's own default.");
    public static final Knob MINCORE_CACHE_ENTRIES = TABLE.integer("mincore.cache.entries", 64).range(1, 1 << 16).powerOfTwo().unit("ranges")
            .meaning("Entries of the per-thread cache of ranges known mapped (MINCORE_CACHED); a power of two.");

    // ---- diagnostics ----
    public static final Knob DEBUG_CHECKS = TABLE.flag("debug.checks", false)
            .meaning("Check the layout invariants of slabs, pages and lists on every slow-path step (slow).");
    public static final Knob STATS = TABLE.flag("stats", true).perJvm()
            .meaning("Keep the per-thread stats counters; off lets the JIT drop them. Static: read once per JVM.");

    private final String key;
    private final KnobType type;
    private final String defaultText;
    private final String unit;
    private final long min;
    private final long max;
    private final boolean powerOfTwo;
    private final String meaning;
    private final String environmentName;
    private final List<String> choices;
    private final boolean perJvm;

    Knob(KnobSpec spec, String meaning) {
        this.key = spec.key;
        this.type = spec.type;
        this.defaultText = spec.defaultText;
        this.unit = spec.unit;
        this.min = spec.min;
        this.max = spec.max;
        this.powerOfTwo = spec.powerOfTwo;
        this.meaning = meaning;
        this.environmentName = spec.environmentName;
        this.choices = spec.choices;
        this.perJvm = spec.perJvm;
        validate(defaultText, "its declaration");
    }

    /** api's own knobs, in table order. */
    public static List<Knob> all() {
        return TABLE.knobs();
    }

    public String key() {
        return key;
    }

    public KnobType type() {
        return type;
    }

    public String defaultText() {
        return defaultText;
    }

    public String unit() {
        return unit;
    }

    public String meaning() {
        return meaning;
    }

    public String environmentName() {
        return environmentName;
    }

    /** The system property that sets this knob: {@code slabworks.<key>}. */
    public String propertyName() {
        return "slabworks." + key;
    }

    public List<String> choices() {
        return choices;
    }

    /** Whether the knob is read once per JVM ({@link Knobs#perJvm}) rather than from each snapshot. */
    public boolean perJvm() {
        return perJvm;
    }

    /** What this knob accepts, in words, for error messages and the knob table. */
    public String accepted() {
        return switch (type) {
            case FLAG -> "true or false";
            case CHOICE -> String.join(", ", choices);
            case INTEGER, DECIMAL -> (powerOfTwo ? "a power of two " : "")
                    + "from " + min + " to " + max + (unit.isEmpty() ? "" : " " + unit);
            case SIZE -> (powerOfTwo ? "a power of two " : "") + "from " + sizeText(min) + " to " + sizeText(max)
                    + " " + unit + " (suffixes K, M, G)";
        };
    }

    /** 32768 as 32K, 33554432 as 32M: a bound in the form a value is written. */
    private static String sizeText(long bytes) {
        for (String suffix : new String[] {"G", "M", "K"}) {
            long unit = 1L << (suffix.equals("G") ? 30 : suffix.equals("M") ? 20 : 10);
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + suffix;
            }
        }
        return Long.toString(bytes);
    }

    /** The canonical text of {@code raw} for this knob, or a {@link KnobException} saying why not. */
    String validate(String raw, String origin) {
        String canonical = type.canonical(raw);
        boolean ok = canonical != null;
        if (ok && type == KnobType.CHOICE) {
            ok = choices.contains(canonical);
        } else if (ok && (type == KnobType.INTEGER || type == KnobType.SIZE)) {
            long v = Long.parseLong(canonical);
            ok = v >= min && v <= max && (!powerOfTwo || Long.bitCount(v) == 1);
        } else if (ok && type == KnobType.DECIMAL) {
            double v = Double.parseDouble(canonical);
            ok = v >= min && v <= max;
        }
        if (!ok) {
            throw new KnobException("knob " + key + " (" + environmentName + ") from " + origin
                    + " cannot be '" + raw + "': it accepts " + accepted());
        }
        return canonical;
    }

    @Override
    public String toString() {
        return key;
    }
}
