package dev.slabworks.api;

import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The Java-side descriptor of one mapping an allocator owns (a SuperSlab, a segment, a direct
 * block). Descriptors live on the Java heap, so classifying a pointer reads only them and never
 * the mapped memory: a stale descriptor of a region already unmapped is still safe to read.
 *
 * <p>The views {@code Allocator.segment} hands out are {@linkplain #view scoped to their region}: a shared
 * arena made on the first view of a block in it and closed by {@link #invalidateViews}, which every release
 * of the mapping calls before its {@code munmap}. A caller keeping a view of a block past its free, once the
 * mapping is gone (a direct block unmapped, a SuperSlab evicted, the allocator closed), gets an
 * {@link IllegalStateException} from the view instead of a read of unmapped memory. Closing a shared arena
 * waits, through the JVM's handshake, for accesses in flight; regions nobody asked a view of pay nothing.
 */
public abstract class Region {
    protected final Mapping mapping;
    /** A thread that never runs: a scope its segments are accessible by is a shared one ({@link #bind}). */
    private static final Thread NOBODY = Thread.ofPlatform().unstarted(() -> { });
    /** Made on the first {@link #view}; null until then. Guarded by {@code this}. */
    private Arena views;
    /** Set by {@link #invalidateViews}: no view made afterwards is usable. Guarded by {@code this}. */
    private boolean released;
    /** Scopes of others ({@link #bind}) closed with the views; the first {@link #boundCount}. Guarded by {@code this}. */
    private Arena[] bound;
    private int boundCount;

    protected Region(Mapping mapping) {
        this.mapping = mapping;
    }

    public final Mapping mapping() {
        return mapping;
    }

    /** First usable byte: aligned as the strategy asked. */
    public final long base() {
        return mapping.address();
    }

    public final long size() {
        return mapping.size();
    }

    public final boolean contains(long address) {
        return address >= mapping.address() && address - mapping.address() < mapping.size();
    }

    /**
     * A bounds-checked view of {@code [address, address + length)}, inside this region, that fails cleanly once
     * the mapping is released. After release it is a view of a closed scope: every access throws.
     */
    public final MemorySegment view(long address, long length) {
        if (address < mapping.address() || length < 0 || length > mapping.end() - address) {
            throw new IndexOutOfBoundsException("[0x" + Long.toHexString(address) + ", +" + length + ") is not inside "
                    + mapping);
        }
        return Memory.segment(address, length).reinterpret(scope(), null);
    }

    private synchronized Arena scope() {
        if (views == null) {
            views = Arena.ofShared();
            if (released) {
                views.close();
            }
        }
        return views;
    }

    /**
     * Ties a shared {@code scope} of someone else's (an {@code AllocatorArena}) to this mapping: {@link #invalidateViews}
     * closes it too, so its segments of blocks in here never read the memory once it is unmapped. Closed scopes are
     * dropped as others are bound, so a region outliving many arenas holds only the live ones.
     */
    public final synchronized void bind(Arena scope) {
        if (!MemorySegment.NULL.reinterpret(0, scope, null).isAccessibleBy(NOBODY)) {
            // the allocator closes a bound scope from whatever thread unmaps: a confined one could not be closed
            throw new IllegalArgumentException("a scope bound to an allocator's memory must be a shared arena's");
        }
        if (released) {
            throw new IllegalStateException("the mapping at 0x" + Long.toHexString(mapping.address()) + " is released");
        }
        int live = 0;
        for (int i = 0; i < boundCount; i++) {
            Arena a = bound[i];
            if (a == scope) {
                return;
            }
            if (a.scope().isAlive()) {
                bound[live++] = a;
            }
        }
        for (int i = live; i < boundCount; i++) {
            bound[i] = null;
        }
        boundCount = live;
        if (bound == null) {
            bound = new Arena[2];
        } else if (boundCount == bound.length) {
            bound = java.util.Arrays.copyOf(bound, boundCount * 2);
        }
        bound[boundCount++] = scope;
    }

    /** Before the mapping is unmapped: every view of it, and every scope bound to it, fails from now on. Idempotent. */
    public final synchronized void invalidateViews() {
        released = true;
        if (views != null) {
            close(views);
        }
        for (int i = 0; i < boundCount; i++) {
            close(bound[i]);
            bound[i] = null;
        }
        boundCount = 0;
    }

    /**
     * Closes a scope before its memory is unmapped. Closed by its owner meanwhile: nothing to do. Held by a native
     * call that was passed one of its segments: waits for the call to return, as close waits for operations in
     * flight, since unmapping under it would let the call (or a later access) touch memory that is gone.
     */
    private static void close(Arena scope) {
        for (int spins = 0; ; spins++) {
            try {
                scope.close();
                return;
            } catch (IllegalStateException e) {
                if (!scope.scope().isAlive()) {
                    return; // its owner closed it first
                }
                if (spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }
}
