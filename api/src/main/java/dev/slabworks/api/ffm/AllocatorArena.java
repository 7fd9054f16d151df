package dev.slabworks.api.ffm;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorUnusableException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * An {@link Arena} over an {@link Allocator}: {@link #allocate(long, long)} takes a block from the allocator and
 * {@link #close} frees every block it took. Scope, thread confinement and access checks are a JDK arena's
 * ({@link Arena#ofConfined()} or {@link Arena#ofShared()}), which this one keeps and closes first: segments are
 * bounds-checked, a confined arena's segments are usable by its owner thread only, and once the arena is closed
 * every access to them throws {@link IllegalStateException}.
 *
 * <p>The allocator must outlive the arena: closing the allocator first unmaps the blocks while the arena's segments
 * are still alive, so an access between the two closes reads unmapped memory, as a C pointer would (the arena's
 * own close then frees nothing and throws nothing). Nest them: {@code try (allocator; arena) {...}} closes the
 * arena first.
 *
 * <p>Cost: the JDK arena (closing a shared one makes every thread of the JVM pass a safepoint-like handshake:
 * tens of microseconds, against about a hundred nanoseconds for a confined one), a segment object per allocation,
 * and 8 bytes of Java heap per block to free at close. A shared arena takes a lock per allocation. Contents are
 * not zeroed, unlike the JDK's arenas.
 */
public final class AllocatorArena implements Arena {
    private final Allocator allocator;
    private final Arena scope;
    /** The owner thread of a confined arena; null for a shared one, whose methods synchronize on this arena. */
    private final Thread owner;
    /** The blocks to free at close: the first {@link #count} of them. */
    private long[] blocks = new long[4];
    private int count;

    private AllocatorArena(Allocator allocator, boolean shared) {
        this.allocator = allocator;
        this.scope = shared ? Arena.ofShared() : Arena.ofConfined();
        this.owner = shared ? null : Thread.currentThread();
    }

    /** An arena whose segments only the calling thread may allocate, use and close, like {@link Arena#ofConfined()}. */
    public static AllocatorArena ofConfined(Allocator allocator) {
        return new AllocatorArena(allocator, false);
    }

    /** An arena any thread may allocate from, use and close, like {@link Arena#ofShared()}. */
    public static AllocatorArena ofShared(Allocator allocator) {
        return new AllocatorArena(allocator, true);
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        if (owner != null) {
            return allocateInScope(byteSize, byteAlignment);
        }
        synchronized (this) { // no close between the checks and the record
            return allocateInScope(byteSize, byteAlignment);
        }
    }

    private MemorySegment allocateInScope(long byteSize, long byteAlignment) {
        Alignment.check(byteSize, byteAlignment);
        if (owner != null && Thread.currentThread() != owner) {
            throw new WrongThreadException("this arena is confined to " + owner);
        }
        if (!scope.scope().isAlive()) {
            throw new IllegalStateException("this arena is closed");
        }
        if (count == blocks.length) {
            blocks = Arrays.copyOf(blocks, Math.max(16, count * 2)); // before the block is taken: no block without its record
        }
        boolean natural = Alignment.natural(byteAlignment);
        long block = allocator.allocate(natural ? byteSize : Alignment.padded(byteSize, byteAlignment));
        blocks[count++] = block;
        long address = natural ? block : Alignment.align(block, byteAlignment);
        return MemorySegment.ofAddress(address).reinterpret(byteSize, scope, null);
    }

    @Override
    public MemorySegment.Scope scope() {
        return scope.scope();
    }

    /**
     * Closes the JDK arena (so no segment of this one can be used any more), then frees every block. Throws as the
     * JDK's close does (closed already, another thread than the owner, a segment in use by a native call) and then
     * frees nothing. A block freed behind the arena's back is reported after the others are freed.
     */
    @Override
    public void close() {
        if (owner != null) {
            closeScope();
            return;
        }
        synchronized (this) {
            closeScope();
        }
    }

    private void closeScope() {
        scope.close();
        RuntimeException failure = null;
        for (int i = 0; i < count; i++) {
            try {
                allocator.free(blocks[i]);
            } catch (AllocatorUnusableException closed) {
                break; // the allocator closed first (or broke): its close unmaps every block
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        count = 0;
        blocks = new long[0];
        if (failure != null) {
            throw failure;
        }
    }

    /** Blocks this arena holds now (tests, diagnostics). */
    public int blocks() {
        if (owner != null) {
            return count;
        }
        synchronized (this) {
            return count;
        }
    }
}
