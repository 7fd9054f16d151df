package dev.slabworks.harness.wiring;

import dev.slabworks.api.AllocatorFactory;

/**
 * One thing a benchmark can run: a strategy found through Guice or a native baseline.
 *
 * @param factory    makes its allocators; null when {@link #available()} is false
 * @param unavailable why it cannot run ("not installed ..."), or null
 */
public record Contender(String name, Kind kind, String description, AllocatorFactory factory, String unavailable) {
    public enum Kind {
        STRATEGY, BASELINE;

        /** The name in results files: {@code strategy} or {@code baseline}. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean available() {
        return factory != null;
    }
}
