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

    /** Before the mapping is unmapped: every view of it fails from now on. Idempotent. */
    public final synchronized void invalidateViews() {
        released = true;
        if (views != null && views.scope().isAlive()) {
            views.close();
        }
    }
}
