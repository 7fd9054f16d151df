package dev.slabworks.api.direct;

/**
 * One thread's own freed direct mapping, kept for that thread's next large allocation: a free and an allocate of a
 * large block in turn then cost no atomic at all, where the shared {@link DirectMappingCache} costs two each way
 * (its slot and its byte count) and 64 KiB pairs ran at glibc's speed or below it.
 *
 * <pre>
 *   thread  the heap's thread, which alone reads and writes held while it lives (others only after it ended)
 *   held    null, or one region: freed (not live), mapped, registered, at most direct.front.bytes reserved
 * </pre>
 *
 * A block in {@code held} is a freed block like one in the shared cache: a free of its address is a DOUBLE_FREE (its
 * live flag), and {@link DirectMappings#closeAll} unmaps it with every other mapping. Once {@code thread} has ended
 * ({@code Thread.isAlive()} false, which orders its last store before the read), the live thread that reclaims its
 * heap calls {@link #giveBack}, a large allocation that misses sends it to the cache, and any {@code trim()} unmaps
 * it: each under the fronts' lock. Made by {@link DirectMappings#newFront} on the thread whose heap keeps it.
 */
public final class DirectFront {
    final Thread thread = Thread.currentThread();
    final DirectMappings owner;
    DirectRegion held;

    DirectFront(DirectMappings owner) {
        this.owner = owner;
    }

    /**
     * The heap of this front's thread is reclaimed, inside an operation of the reclaiming heap: the mapping it holds
     * goes to the shared cache (or is unmapped), where any thread can reuse it. Null-safe for a heap without a front.
     */
    public static void giveBack(DirectFront front) {
        if (front != null) {
            front.owner.giveBack(front);
        }
    }

    /** The mapping kept now, or null (tests and diagnostics; the owner thread's view). */
    public DirectRegion held() {
        return held;
    }
}
