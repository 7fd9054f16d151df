package dev.slabworks.harness.workload;

/**
 * A parsed allocation trace in replay form: trace pointers already mapped to dense slot numbers, so
 * replay indexes a {@code long[]} and never hashes. Entry {@code i} is {@code op[i]} on slot
 * {@code slot[i]} with {@code size[i]} (0 for a free).
 */
public record Trace(String source, byte[] op, int[] slot, long[] size, int slots, long allocations,
                    long frees, long reallocations) {
    public static final byte ALLOCATE = 0;
    public static final byte FREE = 1;
    public static final byte REALLOCATE = 2;

    public int length() {
        return op.length;
    }
}
