package dev.slabworks.api.ffm;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorUnusableException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * An {@link Arena} over an {@link Allocator}: {@link #allocate(long, long)} takes a block from the allocator and
 * {@link #close} frees every block it took. Scope and access checks are a JDK shared arena's, which this one keeps
 * and closes first: segments are bounds-checked, and once the arena is closed every access to them throws
 * {@link IllegalStateException}. A confined one ({@link #ofConfined}) may be allocated from and closed by its owner
 * thread only; its segments, like a shared arena's, may be read on any thread.
 *
 * <p>Why always a shared JDK arena: its scope is {@linkplain Allocator#bindScope bound} to the mapping of every
 * block it takes, and the allocator closes it, from whatever thread, before it unmaps that memory (the allocator
 * closed first, or a block freed behind the arena's back and unmapped). So no call sequence reads unmapped memory
 * through this arena's segments: they throw instead. Nest them anyway, {@code try (allocator; arena) {...}}, which
 * closes the arena first and frees its blocks.
 *
 * <p>Cost: the JDK arena (closing a shared one makes every thread of the JVM pass a safepoint-like handshake:
 * tens of microseconds), a segment object per allocation, the binding (a look-up and a lock on the block's mapping),
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
        this.scope = Arena.ofShared(); // the allocator may close it from any thread: see the class comment
        this.owner = shared ? null : Thread.currentThread();
    }

    /** An arena only the calling thread may allocate from and close (its segments are readable on any thread). */
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
        allocator.bindScope(block, scope);
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
        if (owner != null && Thread.currentThread() != owner) {
            throw new WrongThreadException("this arena is confined to " + owner);
        }
        if (!scope.scope().isAlive() && count == 0) {
            throw new IllegalStateException("this arena is closed");
        }
        if (scope.scope().isAlive()) {
            scope.close();
        } // else the allocator closed it before unmapping a block: free what is left

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
