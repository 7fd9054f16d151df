package dev.slabworks.api.knobs;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Named sets of knob values, declared once here: {@code --preset NAME} puts them under the command line's own
 * {@code --set}s (which win) and over properties, environment and defaults ({@link Knobs#resolve(KnobRegistry,
 * java.util.Map, Preset)}). Each setting says why it has its value. Keys are knob keys (a preset may set any
 * module's knobs: api's, a strategy's, the harness's); the harness's tests check each against the full registry.
 */
public enum Preset {
    /**
     * The seed report's configuration (docs/DESIGN.md §1): what its allocator ran with on
     * {@code bench_random_mixed 200000 4096 1234567}.
     */
    SEED("seed", "the seed report's allocator: tiny classes to 1023 bytes, the mid path mapped per block and checked "
            + "with mincore, no LRU, no prewarm, 2 MiB SuperSlabs of 64 KiB slabs, front-direct mode, no prefault",
            setting("small.max", "1023", "the family's tiny classes end at 1023 bytes (a 1-byte header in a 1024-byte "
                    + "block); 1024..1039-byte requests took the mid path"),
            setting("mid.policy", "BLOCK", "each mid block was mapped and unmapped on its own"),
            setting("mid.madvise", "true", "each mid free also called madvise (1,591 of them)"),
            setting("mid.validation", "MINCORE", "each mid free checked the header's page with mincore (1,591 calls)"),
            setting("validation", "REGISTRY", "tiny frees found their SuperSlab without a syscall (mincore count = mid "
                    + "count)"),
            setting("ss.lru.size", "0", "the LRU of empty SuperSlabs did not work: each one was unmapped as it emptied"),
            setting("ss.prewarm", "0", "prewarm did not work either"),
            setting("ss.reuse.partial", "false", "a thread took a new SuperSlab rather than go back to a partial one"),
            setting("ss.size", "2MiB", "2 MiB SuperSlabs, 2 MiB-aligned"),
            setting("slab.size", "64KiB", "32 slabs of 64 KiB per SuperSlab"),
            setting("tiny.front.direct", "true", "HAKMEM_TINY_FRONT_DIRECT=1: the front cache in both paths"),
            setting("fc.remote", "0", "the report gives no front cache that keeps other threads' blocks: each remote "
                    + "free goes back to its SuperSlab"),
            setting("bench.prefault", "0", "the seed's bench_random_mixed ran without its prefault phase"));

    /** One knob of a preset: its key, its value, and why the preset sets it so. */
    public record Setting(String key, String value, String why) {
    }

    private final String presetName;
    private final String description;
    private final List<Setting> settings;

    Preset(String presetName, String description, Setting... settings) {
        this.presetName = presetName;
        this.description = description;
        this.settings = List.of(settings);
    }

    private static Setting setting(String key, String value, String why) {
        return new Setting(key, value, why);
    }

    /** The name {@code --preset} takes. */
    public String presetName() {
        return presetName;
    }

    public String description() {
        return description;
    }

    public List<Setting> settings() {
        return settings;
    }

    /** What this preset sets the knob with key {@code key} to, or null when it leaves it alone. */
    public String value(String key) {
        for (Setting s : settings) {
            if (s.key().equals(key)) {
                return s.value();
            }
        }
        return null;
    }

    /** The preset called {@code name}, or null when {@code name} is null (no {@code --preset} given). */
    public static Preset named(String name) {
        return name == null ? null : byName(name);
    }

    /** The preset called {@code name} (any case), or a {@link KnobException} naming those there are. */
    public static Preset byName(String name) {
        for (Preset p : values()) {
            if (p.presetName.equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new KnobException("no preset named '" + name + "'; presets: " + names());
    }

    /** Every preset's name, comma-separated. */
    public static String names() {
        return List.of(values()).stream().map(p -> p.presetName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return presetName.toLowerCase(Locale.ROOT);
    }
}
