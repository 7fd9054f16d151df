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
        if (address < mapping.address() || length < 0 || address + length > mapping.end()) {
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
        if (views != null && views.scope().isAlive()) {
            views.close();
        }
        for (int i = 0; i < boundCount; i++) {
            close(bound[i]);
            bound[i] = null;
        }
        boundCount = 0;
    }

    /** Closes a bound scope unless its owner closed it first (a race with the arena's own close is harmless). */
    private static void close(Arena scope) {
        try {
            scope.close();
        } catch (IllegalStateException closedMeanwhile) {
            // closed by its owner already: nothing of it can reach this memory
        }
    }
}
