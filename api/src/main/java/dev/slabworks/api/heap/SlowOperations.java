package dev.slabworks.api.heap;

/**
 * The operations every heap-based strategy runs off its fast paths, {@code usableSize}, {@code reallocate} and
 * {@code trim}, as one {@link Lifecycle.Body}: their codes and their dispatch, written once. A strategy supplies
 * the three for its own heap type {@code H} and makes one instance per allocator, so no call site links late
 * (see {@link Lifecycle#operation}).
 */
public abstract class SlowOperations<H extends OwnedHeap> implements Lifecycle.Body {
    public static final int USABLE_SIZE = 0;
    public static final int REALLOCATE = 1;
    public static final int TRIM = 2;

    @Override
    @SuppressWarnings("unchecked") // the heap Lifecycle hands back is the strategy's own, which it passed in
    public final long run(OwnedHeap heap, int op, long a, long b) {
        H h = (H) heap;
        return switch (op) {
            case USABLE_SIZE -> usableSize(h, a);
            case REALLOCATE -> reallocate(h, a, b);
            case TRIM -> trim(h);
            default -> throw new IllegalArgumentException("no slow operation " + op);
        };
    }

    /** {@code Allocator.usableSize(address)} for {@code heap}'s thread. */
    protected abstract long usableSize(H heap, long address);

    /** {@code Allocator.reallocate(address, newSize)} for {@code heap}'s thread. */
    protected abstract long reallocate(H heap, long address, long newSize);

    /** {@code Allocator.trim()} for {@code heap}'s thread; returns what the strategy reports trimmed. */
    protected abstract long trim(H heap);
}
