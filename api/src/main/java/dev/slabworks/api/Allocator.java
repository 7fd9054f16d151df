package dev.slabworks.api;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.OutOfNativeMemoryError;
import dev.slabworks.api.stats.StatsSnapshot;

import java.lang.foreign.MemorySegment;

/**
 * An off-heap allocator: the SPI every strategy implements (docs/DESIGN.md §4, the allocator SPI).
 *
 * <p>Assumptions and guarantees:
 * <ul>
 *   <li>Addresses are {@code long}s; every block starts on a {@link #ALIGNMENT}-byte boundary and
 *       no two live blocks overlap.</li>
 *   <li>{@link #allocate} accepts any {@code size >= 0}; 0 gives a unique minimum block. Failure to
 *       map memory throws {@link OutOfNativeMemoryError}; 0 is never returned.</li>
 *   <li>{@link #free}, {@link #usableSize} and {@link #reallocate} given anything but a live block
 *       throw {@link InvalidFreeException} with its kind and change nothing: no live block is
 *       touched, and no memory the allocator does not own is read.</li>
 *   <li>Any thread may allocate, and any thread may free any live block. A single thread takes no
 *       lock and allocates nothing on the Java heap on the fast path.</li>
 *   <li>Two frees of one block racing from any two threads (the owner's and another's included)
 *       have exactly one winner; the other throws {@code DOUBLE_FREE}. No call sequence, from any
 *       number of threads, hands out a live block twice.</li>
 *   <li>{@link #close} returns every mapping to the OS; afterwards mapped bytes are 0 and the
 *       {@code mmap} and {@code munmap} counts are equal. It is idempotent. Every call that starts
 *       after it, on any thread, throws {@link AllocatorUnusableException}; calls already running
 *       on other threads complete first (close waits for them), so a call racing close either
 *       completes or throws that exception. {@link #stats}, {@link #knobs} and {@link #name} keep
 *       working. The memory of blocks is gone once close returns: reading it then is the caller's
 *       fault, as in C.</li>
 *   <li>A size no machine could back (above the physical memory) throws
 *       {@link OutOfNativeMemoryError} at once, maps nothing and leaves the allocator usable.</li>
 *   <li>An unexpected throwable inside a call ({@link StackOverflowError}, a Java-heap
 *       {@link OutOfMemoryError}) may leave the allocator half changed: it then refuses every later
 *       call with {@link AllocatorUnusableException} naming the cause, rather than risk handing out
 *       a live block; {@link #close} still releases its memory.</li>
 * </ul>
 */
public interface Allocator extends AutoCloseable {
    /** Every block's alignment, in bytes. */
    int ALIGNMENT = 16;

    /** The strategy's name, as registered with the harness. */
    String name();

    /** A block of at least {@code size} bytes; its contents are unspecified. */
    long allocate(long size);

    /** Returns a live block. */
    void free(long address);

    /** The bytes usable at {@code address}: at least what was asked for. */
    long usableSize(long address);

    /**
     * A block of at least {@code newSize} bytes holding the first {@code min(old, new)} bytes of the
     * old one, which is freed unless the same address is returned. {@code address == 0} allocates.
     */
    long reallocate(long address, long newSize);

    /**
     * Ties a shared {@code scope} (an {@code Arena.ofShared()} of the caller's) to the memory of the live block at
     * {@code address}: the allocator closes {@code scope} before it unmaps that memory (the block freed and its
     * mapping released, or the allocator closed), so segments in {@code scope} throw rather than read unmapped
     * memory. What {@code api.ffm.AllocatorArena} uses to stay safe when the allocator closes first. The strategies
     * bind it to the block's mapping ({@link Region#bind}); this default does nothing, which is right only for an
     * allocator that never unmaps a block's memory while the process lives.
     *
     * @throws InvalidFreeException when {@code address} is not a live block of this allocator
     */
    default void bindScope(long address, java.lang.foreign.Arena scope) {
        usableSize(address);
    }

    /**
     * A bounds-checked view of a live block, for callers who want one. Allocates a segment object. The strategies
     * scope it to the block's mapping ({@link Region#view}): kept past the block's free, it throws
     * {@link IllegalStateException} once the memory is unmapped, rather than reading it. This default, for an
     * allocator that never unmaps a block's memory while the view may be used, is unscoped.
     */
    default MemorySegment segment(long address) {
        return Memory.segment(address, usableSize(address));
    }

    /**
     * Gives back what can be given back now, like C's {@code malloc_trim} or mimalloc's
     * {@code mi_collect}: the calling thread's cached free blocks and empty slabs, the heaps of
     * threads that have ended, empty SuperSlabs or segments beyond the LRU, pages due for purging.
     * Live blocks are untouched. Slow; never needed for correctness. The default does nothing.
     */
    default void trim() {
    }

    /**
     * What this allocator holds from the system now, for measurement: its mapped bytes and how many of them are
     * resident. Slow (a strategy walks its mappings with {@code mincore}); never on a hot path. Safe to call from
     * any thread while others use the allocator, and after {@link #close}. The default knows nothing.
     */
    default MemoryUse memoryUse() {
        return MemoryUse.NONE;
    }

    /** The knob values this allocator was made with. */
    Knobs knobs();

    /** The allocator's stats table now. */
    StatsSnapshot stats();

    @Override
    void close();
}
