package dev.slabworks.harness.workload;

/**
 * splitmix64, the generator of the C anchor (docs/DESIGN.md §17). Workload loops inline the same
 * three lines on a local {@code state}; this class is their reference and what tests pin.
 */
public final class SplitMix64 {
    static final long GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    public long next() {
        state += GAMMA;
        return mix(state);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
