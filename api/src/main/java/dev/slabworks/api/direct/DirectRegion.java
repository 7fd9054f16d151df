package dev.slabworks.api.direct;

import dev.slabworks.api.Region;
import dev.slabworks.api.list.IntrusiveList;
import dev.slabworks.api.os.Mapping;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One block too large for any size class, alone in its own mapping; the block starts at {@link #base()}.
 * The descriptor lives as long as its mapping: while the block is live, and after it is freed for as
 * long as the mapping waits in the {@link DirectMappingCache} (not live then), after which the next
 * allocation that takes the mapping makes the same descriptor live again.
 */
public final class DirectRegion extends Region {
    private static final VarHandle LIVE;

    static {
        try {
            LIVE = MethodHandles.lookup().findVarHandle(DirectRegion.class, "live", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through LIVE
    private volatile boolean live = true;

    /** Its place in {@link DirectMappings}' list of every mapped direct region; guarded by that list's lock. */
    final IntrusiveList.Link<DirectRegion> link = new IntrusiveList.Link<>(this);
    /**
     * When this mapping last went into the cache, by the cache's clock: eviction takes the smallest.
     * Written before the slot CAS that publishes the region, read after the slot load that finds it.
     */
    long cachedAt;

    DirectRegion(Mapping mapping) {
        super(mapping);
    }

    public boolean isLive() {
        return live;
    }

    /** Claims the free: true for exactly one caller, however many race. */
    boolean markFreed() {
        return LIVE.compareAndSet(this, true, false);
    }

    /**
     * The block is handed out again: only by the one thread that took the mapping out of the cache
     * (a CAS of its slot), so no other thread can be making it live at the same time.
     */
    void markLive() {
        LIVE.setRelease(this, true);
    }
}
