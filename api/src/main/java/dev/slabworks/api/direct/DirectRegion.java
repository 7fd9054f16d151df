package dev.slabworks.api.direct;

import dev.slabworks.api.Region;
import dev.slabworks.api.os.Mapping;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** One block too large for any size class, alone in its own mapping; the block starts at {@link #base()}. */
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
}
