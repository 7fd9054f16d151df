package dev.slabworks.api.knobs;

import java.util.List;
import java.util.Locale;

/**
 * Every knob of slabworks, declared once: key, type, default, unit, range, meaning and environment
 * name (the seed's {@code HAKMEM_*} name where the seed has one, {@code SLABWORKS_*} otherwise).
 * Values are read only through a {@link Knobs} snapshot, which applies the precedence
 * command line ({@code --set key=value}) &gt; system property {@code slabworks.<key>} &gt;
 * environment &gt; default.
 *
 * <p>{@link #STATS} is the one static knob: it is a JIT constant, read once per JVM from the
 * system property or environment (the harness's {@code main} turns {@code --set stats=...} into
 * that property before any allocator exists).
 */
public enum Knob {
    // ---- SuperSlabs (strategy-superslab, strategy-shared-pool) ----
    SS_SIZE("ss.size", KnobType.SIZE, "2MiB", "bytes", 64 << 10, 1L << 30, true,
            "Size and alignment of a SuperSlab; a power of two.", "SLABWORKS_SS_SIZE"),
    SS_LRU_SIZE("ss.lru.size", KnobType.INTEGER, "16", "SuperSlabs", 0, 1 << 16, false,
            "Empty SuperSlabs (mimalloc-like: empty segments) kept mapped for reuse; 0 unmaps each one as it empties (the seed's churn).",
            "HAKMEM_SS_LRU_SIZE"),
    SS_LRU_DEBUG("ss.lru.debug", KnobType.FLAG, "false", "", 0, 0, false,
            "Print the LRU's hits, misses and evictions when the allocator closes.", "HAKMEM_SS_LRU_DEBUG"),
    SS_PREWARM("ss.prewarm", KnobType.INTEGER, "4", "SuperSlabs", 0, 1 << 16, false,
            "SuperSlabs mapped ahead into the LRU when the allocator starts.", "HAKMEM_SS_PREWARM"),
    SS_PREWARM_DEBUG("ss.prewarm.debug", KnobType.FLAG, "false", "", 0, 0, false,
            "Print what prewarm mapped and how much of it was used when the allocator closes.",
            "HAKMEM_SS_PREWARM_DEBUG"),
    SS_REUSE_PARTIAL("ss.reuse.partial", KnobType.FLAG, "true", "", 0, 0, false,
            "A thread goes back to its partly free SuperSlabs before taking a new one; false is the seed's "
                    + "policy (always a new one), whose emptied SuperSlabs make the churn.",
            "SLABWORKS_SS_REUSE_PARTIAL"),

    // ---- per-thread front cache (FastCache) ----
    FC_CAP("fc.cap", KnobType.INTEGER, "256", "blocks", 0, 1 << 16, false,
            "Front-cache capacity per size class per thread; 0 disables the front cache.", "HAKMEM_FC_CAP"),
    FC_REFILL("fc.refill", KnobType.INTEGER, "32", "blocks", 1, 1 << 16, false,
            "Blocks moved into the front cache on a miss (and out of it when it overflows).",
            "HAKMEM_FC_REFILL"),
    FRONT_STATS("front.stats", KnobType.FLAG, "false", "", 0, 0, false,
            "Print front-cache hits, misses, refills and flushes when the allocator closes.",
            "HAKMEM_FRONT_STATS"),
    TINY_FRONT_DIRECT("tiny.front.direct", KnobType.FLAG, "true", "", 0, 0, false,
            "Small allocations and frees go straight to the per-thread front cache, skipping the middle layer.",
            "HAKMEM_TINY_FRONT_DIRECT"),

    // ---- shared pool (Phase 12) ----
    SLAB_SIZE("slab.size", KnobType.SIZE, "64KiB", "bytes", 32 << 10, 32L << 20, true,
            "Size of a slab inside a shared SuperSlab; a power of two no larger than ss.size (from one block of the "
                    + "largest size class to the 32 MiB a slab's block index divides exactly).",
            "SLABWORKS_SLAB_SIZE"),
    PURGE_DELAY_MS("purge.delay.ms", KnobType.INTEGER, "10", "ms", -1, 3_600_000, false,
            "How long a free slab or page stays untouched before its pages are purged; 0 at once, -1 never.",
            "SLABWORKS_PURGE_DELAY_MS"),
    PURGE_ADVICE("purge.advice", KnobType.CHOICE, "DONTNEED", "", 0, 0, false,
            "The madvise advice used to purge: DONTNEED or FREE.", "SLABWORKS_PURGE_ADVICE",
            "DONTNEED", "FREE"),

    // ---- mimalloc-like ----
    SEGMENT_SIZE("segment.size", KnobType.SIZE, "4MiB", "bytes", 64 << 10, 1L << 30, true,
            "Size and alignment of a mimalloc-like segment; a power of two.", "SLABWORKS_SEGMENT_SIZE"),
    PAGE_SIZE("page.size", KnobType.SIZE, "64KiB", "bytes", 64 << 10, 32L << 20, true,
            "Size of a mimalloc-like small page inside a segment; a power of two no larger than segment.size (from two "
                    + "blocks of the largest size class to the 32 MiB a page's block index divides exactly).",
            "SLABWORKS_PAGE_SIZE"),
    PAGE_MEDIUM_SIZE("page.medium.size", KnobType.SIZE, "2MiB", "bytes", 64 << 10, 32L << 20, true,
            "Size of a mimalloc-like medium page, for the classes a small page holds fewer than page.small.min.blocks "
                    + "blocks of; a power of two, at least page.size, capped at segment.size (equal to page.size: no medium "
                    + "pages).", "SLABWORKS_PAGE_MEDIUM_SIZE"),
    PAGE_SMALL_MIN_BLOCKS("page.small.min.blocks", KnobType.INTEGER, "256", "blocks", 1, 1 << 20, false,
            "A mimalloc-like size class goes on medium pages when a small page would hold fewer of its blocks than this "
                    + "(at 64 KiB pages: blocks above 256 bytes).", "SLABWORKS_PAGE_SMALL_MIN_BLOCKS"),

    // ---- direct mappings (blocks above 32 KiB, every strategy) ----
    DIRECT_CACHE_COUNT("direct.cache.count", KnobType.INTEGER, "16", "mappings", 0, 256, false,
            "Freed direct mappings (blocks above 32 KiB) kept mapped and registered (not live) for reuse, without a "
                    + "syscall, by an allocate whose granule-rounded size is from half the mapping's size up to all of it; "
                    + "when all are taken the oldest is unmapped to make room. 0 unmaps each one as it is freed.",
            "SLABWORKS_DIRECT_CACHE_COUNT"),
    DIRECT_CACHE_BYTES("direct.cache.bytes", KnobType.SIZE, "64MiB", "bytes", 0, 1L << 40, false,
            "Bound on the bytes mapped by the freed direct mappings kept for reuse (direct.cache.count); the oldest "
                    + "are unmapped to make room, and a mapping larger than this is unmapped at once. 0 disables the cache.",
            "SLABWORKS_DIRECT_CACHE_BYTES"),

    // ---- pointer validation in free (docs/DESIGN.md §6) ----
    VALIDATION("validation", KnobType.CHOICE, "AUTO", "", 0, 0, false,
            "How free decides an address is the allocator's before using it: REGISTRY, MINCORE, "
                    + "MINCORE_CACHED, or AUTO for the strategy's own default.",
            "SLABWORKS_VALIDATION", "AUTO", "REGISTRY", "MINCORE", "MINCORE_CACHED"),
    MINCORE_CACHE_ENTRIES("mincore.cache.entries", KnobType.INTEGER, "64", "ranges", 1, 1 << 16, true,
            "Entries of the per-thread cache of ranges known mapped (MINCORE_CACHED); a power of two.",
            "SLABWORKS_MINCORE_CACHE_ENTRIES"),

    // ---- diagnostics ----
    DEBUG_CHECKS("debug.checks", KnobType.FLAG, "false", "", 0, 0, false,
            "Check the layout invariants of slabs, pages and lists on every slow-path step (slow).",
            "SLABWORKS_DEBUG_CHECKS"),
    STATS("stats", KnobType.FLAG, "true", "", 0, 0, false,
            "Keep the per-thread stats counters; off lets the JIT drop them. Static: read once per JVM.",
            "SLABWORKS_STATS"),

    // ---- harness ----
    REGRESSION_THRESHOLD("regression.threshold", KnobType.DECIMAL, "5", "%", 0, 1000, false,
            "compare flags a change in ops/s or syscalls worse than this as a regression.",
            "SLABWORKS_REGRESSION_THRESHOLD"),
    SPREAD_WARNING("spread.warning", KnobType.DECIMAL, "25", "%", 0, 1000, false,
            "bench, profile and the default run warn under their table when a contender's spread (max - min over the "
                    + "median of its repetitions) is above this: its figures are too noisy to compare closely.",
            "SLABWORKS_SPREAD_WARNING"),
    STRESS_THREADS("stress.threads", KnobType.INTEGER, "4", "threads", 1, 1024, false,
            "Threads of the multi-thread stress (./slabworks stress): each allocates, hands blocks to the others, frees theirs.",
            "SLABWORKS_STRESS_THREADS"),

    // ---- hakmem-random-mixed: the phases and modes of the seed's own benchmark (bench_random_mixed.c) ----
    BENCH_WARMUP("bench.warmup", KnobType.INTEGER, "0", "iterations", 0, Integer.MAX_VALUE, false,
            "hakmem-random-mixed: untimed warm-up iterations with the loop's own seed, drained before the prefault "
                    + "(not the harness's --warmup repetitions).", "HAKMEM_BENCH_WARMUP"),
    BENCH_PREFAULT("bench.prefault", KnobType.INTEGER, "-1", "iterations", -1, Integer.MAX_VALUE, false,
            "hakmem-random-mixed: untimed prefault iterations with seed SEED + 0xDEADBEEF, their blocks left live for "
                    + "the timed loop; -1 is CYCLES / 10, the C benchmark's default.", "HAKMEM_BENCH_PREFAULT"),
    BENCH_C5_ONLY("bench.c5.only", KnobType.FLAG, "false", "", 0, 0, false,
            "hakmem-random-mixed: every block is 256 bytes (MIN and MAX both 256; wins over bench.c6.only and "
                    + "bench.c7.only).", "HAKMEM_BENCH_C5_ONLY"),
    BENCH_C6_ONLY("bench.c6.only", KnobType.FLAG, "false", "", 0, 0, false,
            "hakmem-random-mixed: every block is 512 bytes (wins over bench.c7.only).", "HAKMEM_BENCH_C6_ONLY"),
    BENCH_C7_ONLY("bench.c7.only", KnobType.FLAG, "false", "", 0, 0, false,
            "hakmem-random-mixed: every block is 1024 bytes.", "HAKMEM_BENCH_C7_ONLY"),

    // ---- memory measurement (bench, profile) ----
    MEMORY_SAMPLE_MS("memory.sample.ms", KnobType.INTEGER, "5", "ms", 0, 60_000, false,
            "How often bench and profile read a contender's resident memory while its loop runs, for the resident peak "
                    + "(and at least 200 times as long as a reading takes); 0 switches the sampler off (no peak; the "
                    + "readings at the loop's end and after trim() stay).",
            "SLABWORKS_MEMORY_SAMPLE_MS");

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

    Knob(String key, KnobType type, String defaultText, String unit, long min, long max, boolean powerOfTwo,
         String meaning, String environmentName, String... choices) {
        this.key = key;
        this.type = type;
        this.defaultText = defaultText;
        this.unit = unit;
        this.min = min;
        this.max = max;
        this.powerOfTwo = powerOfTwo;
        this.meaning = meaning;
        this.environmentName = environmentName;
        this.choices = List.of(choices);
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
