package dev.slabworks.api.knobs;

import java.util.List;
import java.util.Locale;

import static dev.slabworks.api.knobs.KnobSpec.choice;
import static dev.slabworks.api.knobs.KnobSpec.decimal;
import static dev.slabworks.api.knobs.KnobSpec.flag;
import static dev.slabworks.api.knobs.KnobSpec.integer;
import static dev.slabworks.api.knobs.KnobSpec.size;

/**
 * Every knob of slabworks, declared once: key, type, default, unit, range, meaning and environment
 * name (the seed's {@code HAKMEM_*} name where the seed has one, {@code SLABWORKS_*} otherwise).
 * Values are read only through a {@link Knobs} snapshot, which applies the precedence
 * command line ({@code --set key=value}) &gt; system property {@code slabworks.<key>} &gt;
 * environment &gt; default.
 *
 * <p>{@link #STATS} is the one knob {@linkplain #perJvm() read once per JVM}: a JIT constant, resolved by
 * {@link Knobs#perJvm} from the system property or environment (the harness's {@code main} turns
 * {@code --set stats=...} into that property before any allocator exists).
 */
public enum Knob {
    // ---- SuperSlabs (strategy-superslab, strategy-shared-pool) ----
    SS_SIZE(size("ss.size", "2MiB").range(64 << 10, 1L << 30).powerOfTwo().unit("bytes")
            .meaning("Size and alignment of a SuperSlab; a power of two.")),
    SS_LRU_SIZE(integer("ss.lru.size", 16).range(0, 1 << 16).unit("SuperSlabs").environment("HAKMEM_SS_LRU_SIZE")
            .meaning("Empty SuperSlabs (mimalloc-like: empty segments) kept mapped for reuse; 0 unmaps each one as it "
                    + "empties (the seed's churn).")),
    SS_LRU_DEBUG(flag("ss.lru.debug", false).environment("HAKMEM_SS_LRU_DEBUG")
            .meaning("Print the LRU's hits, misses and evictions when the allocator closes.")),
    SS_PREWARM(integer("ss.prewarm", 4).range(0, 1 << 16).unit("SuperSlabs").environment("HAKMEM_SS_PREWARM")
            .meaning("SuperSlabs mapped ahead into the LRU when the allocator starts.")),
    SS_PREWARM_DEBUG(flag("ss.prewarm.debug", false).environment("HAKMEM_SS_PREWARM_DEBUG")
            .meaning("Print what prewarm mapped and how much of it was used when the allocator closes.")),
    SS_REUSE_PARTIAL(flag("ss.reuse.partial", true)
            .meaning("A thread goes back to its partly free SuperSlabs before taking a new one; false is the seed's "
                    + "policy (always a new one), whose emptied SuperSlabs make the churn.")),

    // ---- per-thread front cache (FastCache) ----
    FC_CAP(integer("fc.cap", 256).range(0, 1 << 16).unit("blocks").environment("HAKMEM_FC_CAP")
            .meaning("Front-cache capacity per size class per thread; 0 disables the front cache.")),
    FC_REFILL(integer("fc.refill", 32).range(1, 1 << 16).unit("blocks").environment("HAKMEM_FC_REFILL")
            .meaning("Blocks moved into the front cache on a miss (and out of it when it overflows).")),
    FRONT_STATS(flag("front.stats", false).environment("HAKMEM_FRONT_STATS")
            .meaning("Print front-cache hits, misses, refills and flushes when the allocator closes.")),
    TINY_FRONT_DIRECT(flag("tiny.front.direct", true).environment("HAKMEM_TINY_FRONT_DIRECT")
            .meaning("Small allocations and frees go straight to the per-thread front cache, skipping the middle layer.")),

    // ---- shared pool (Phase 12) ----
    SLAB_SIZE(size("slab.size", "64KiB").range(32 << 10, 32L << 20).powerOfTwo().unit("bytes")
            .meaning("Size of a slab inside a shared SuperSlab; a power of two no larger than ss.size (from one block of "
                    + "the largest size class to the 32 MiB a slab's block index divides exactly).")),
    PURGE_DELAY_MS(integer("purge.delay.ms", 10).range(-1, 3_600_000).unit("ms")
            .meaning("How long a free slab or page stays untouched before its pages are purged; 0 at once, -1 never.")),
    PURGE_ADVICE(choice("purge.advice", "DONTNEED", "DONTNEED", "FREE")
            .meaning("The madvise advice used to purge: DONTNEED or FREE.")),

    // ---- mimalloc-like ----
    SEGMENT_SIZE(size("segment.size", "4MiB").range(64 << 10, 1L << 30).powerOfTwo().unit("bytes")
            .meaning("Size and alignment of a mimalloc-like segment; a power of two.")),
    PAGE_SIZE(size("page.size", "64KiB").range(64 << 10, 32L << 20).powerOfTwo().unit("bytes")
            .meaning("Size of a mimalloc-like small page inside a segment; a power of two no larger than segment.size "
                    + "(from two blocks of the largest size class to the 32 MiB a page's block index divides exactly).")),
    PAGE_MEDIUM_SIZE(size("page.medium.size", "2MiB").range(64 << 10, 32L << 20).powerOfTwo().unit("bytes")
            .meaning("Size of a mimalloc-like medium page, for the classes a small page holds fewer than "
                    + "page.small.min.blocks blocks of; a power of two, at least page.size, capped at segment.size "
                    + "(equal to page.size: no medium pages).")),
    PAGE_SMALL_MIN_BLOCKS(integer("page.small.min.blocks", 256).range(1, 1 << 20).unit("blocks")
            .meaning("A mimalloc-like size class goes on medium pages when a small page would hold fewer of its blocks "
                    + "than this (at 64 KiB pages: blocks above 256 bytes).")),

    // ---- segregated-fit (the template strategy) ----
    SEGFIT_CHUNK_SIZE(size("segfit.chunk.size", "256KiB").range(64 << 10, 32L << 20).powerOfTwo().unit("bytes")
            .meaning("Size and alignment of a segregated-fit chunk, one mapping whose blocks all serve one size class; "
                    + "a power of two from 64 KiB (two blocks of the largest class) to the 32 MiB a block index divides "
                    + "exactly.")),
    SEGFIT_EMPTY_CHUNKS(integer("segfit.empty.chunks", 4).range(0, 1 << 16).unit("chunks")
            .meaning("Emptied segregated-fit chunks kept mapped for reuse by any size class; beyond this an emptied "
                    + "chunk is unmapped at once, and trim() unmaps them all.")),

    // ---- direct mappings (blocks above 32 KiB, every strategy) ----
    DIRECT_CACHE_COUNT(integer("direct.cache.count", 16).range(0, 256).unit("mappings")
            .meaning("Freed direct mappings (blocks above 32 KiB) kept mapped and registered (not live) for reuse, "
                    + "without a syscall, by an allocate whose granule-rounded size is from half the mapping's size up "
                    + "to all of it; when all are taken the oldest is unmapped to make room. 0 unmaps each one as it "
                    + "is freed.")),
    DIRECT_CACHE_BYTES(size("direct.cache.bytes", "64MiB").range(0, 1L << 40).unit("bytes")
            .meaning("Bound on the bytes mapped by the freed direct mappings kept for reuse (direct.cache.count); the "
                    + "oldest are unmapped to make room, and a mapping larger than this is unmapped at once. 0 disables "
                    + "the cache.")),

    // ---- pointer validation in free (docs/DESIGN.md §6) ----
    VALIDATION(choice("validation", "AUTO", "AUTO", "REGISTRY", "MINCORE", "MINCORE_CACHED")
            .meaning("How free decides an address is the allocator's before using it: REGISTRY, MINCORE, "
                    + "MINCORE_CACHED, or AUTO for the strategy's own default.")),
    MINCORE_CACHE_ENTRIES(integer("mincore.cache.entries", 64).range(1, 1 << 16).powerOfTwo().unit("ranges")
            .meaning("Entries of the per-thread cache of ranges known mapped (MINCORE_CACHED); a power of two.")),

    // ---- diagnostics ----
    DEBUG_CHECKS(flag("debug.checks", false)
            .meaning("Check the layout invariants of slabs, pages and lists on every slow-path step (slow).")),
    STATS(flag("stats", true).perJvm()
            .meaning("Keep the per-thread stats counters; off lets the JIT drop them. Static: read once per JVM.")),

    // ---- harness ----
    REGRESSION_THRESHOLD(decimal("regression.threshold", "5").range(0, 1000).unit("%")
            .meaning("compare flags a change in ops/s or syscalls worse than this as a regression.")),
    SPREAD_WARNING(decimal("spread.warning", "25").range(0, 1000).unit("%")
            .meaning("bench, profile and the default run warn under their table when a contender's spread (max - min "
                    + "over the median of its repetitions) is above this: its figures are too noisy to compare closely.")),
    STRESS_THREADS(integer("stress.threads", 4).range(1, 1024).unit("threads")
            .meaning("Threads of the multi-thread stress (./slabworks stress): each allocates, hands blocks to the "
                    + "others, frees theirs.")),

    // ---- hakmem-random-mixed: the phases and modes of the seed's own benchmark (bench_random_mixed.c) ----
    BENCH_WARMUP(integer("bench.warmup", 0).range(0, Integer.MAX_VALUE).unit("iterations")
            .environment("HAKMEM_BENCH_WARMUP")
            .meaning("hakmem-random-mixed: untimed warm-up iterations with the loop's own seed, drained before the "
                    + "prefault (not the harness's --warmup repetitions).")),
    BENCH_PREFAULT(integer("bench.prefault", -1).range(-1, Integer.MAX_VALUE).unit("iterations")
            .environment("HAKMEM_BENCH_PREFAULT")
            .meaning("hakmem-random-mixed: untimed prefault iterations with seed SEED + 0xDEADBEEF, their blocks left "
                    + "live for the timed loop; -1 is CYCLES / 10, the C benchmark's default.")),
    BENCH_C5_ONLY(flag("bench.c5.only", false).environment("HAKMEM_BENCH_C5_ONLY")
            .meaning("hakmem-random-mixed: every block is 256 bytes (MIN and MAX both 256; wins over bench.c6.only and "
                    + "bench.c7.only).")),
    BENCH_C6_ONLY(flag("bench.c6.only", false).environment("HAKMEM_BENCH_C6_ONLY")
            .meaning("hakmem-random-mixed: every block is 512 bytes (wins over bench.c7.only).")),
    BENCH_C7_ONLY(flag("bench.c7.only", false).environment("HAKMEM_BENCH_C7_ONLY")
            .meaning("hakmem-random-mixed: every block is 1024 bytes.")),

    // ---- memory measurement (bench, profile) ----
    MEMORY_SAMPLE_MS(integer("memory.sample.ms", 5).range(0, 60_000).unit("ms")
            .meaning("How often bench and profile read a contender's resident memory while its loop runs, for the "
                    + "resident peak (and at least 200 times as long as a reading takes); 0 switches the sampler off (no "
                    + "peak; the readings at the loop's end and after trim() stay)."));

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

    Knob(KnobSpec spec) {
        this.key = spec.key;
        this.type = spec.type;
        this.defaultText = spec.defaultText;
        this.unit = spec.unit;
        this.min = spec.min;
        this.max = spec.max;
        this.powerOfTwo = spec.powerOfTwo;
        this.meaning = spec.meaning;
        this.environmentName = spec.environmentName;
        this.choices = spec.choices;
        this.perJvm = spec.perJvm;
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

    /** The knob named by its key or its environment name, in any case. */
    public static Knob byName(String name) {
        String wanted = name.trim();
        for (Knob k : values()) {
            if (k.key.equalsIgnoreCase(wanted) || k.environmentName.equalsIgnoreCase(wanted)
                    || k.name().equalsIgnoreCase(wanted)) {
                return k;
            }
        }
        StringBuilder keys = new StringBuilder();
        for (Knob k : values()) {
            keys.append(keys.isEmpty() ? "" : ", ").append(k.key);
        }
        throw new KnobException("no knob named '" + name + "'; knobs are: " + keys.toString().toLowerCase(Locale.ROOT));
    }
}
