package dev.slabworks.api.direct;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A bounded cache of freed direct mappings, so that a free followed by an allocate of a similar size
 * costs no {@code munmap}/{@code mmap} pair and no new descriptor (glibc keeps freed chunks for the same
 * reason and raises its mmap threshold after such a free; mimalloc and jemalloc keep freed large spans).
 *
 * <pre>
 *   slots  [ R7 | null | R2 | R9 | null | ... ]     maxCount slots, each null or one cached region
 *   bytes  = sum of reservedSize over the cached regions + reservations of offers in flight  <= maxBytes
 *   clock  = last cachedAt stamp handed out (eviction order; exact for one thread, approximate across threads)
 * </pre>
 *
 * <p>Invariants:
 * <ul>
 *   <li>A region in a slot is freed (its live flag is false), still mapped and still registered in the
 *       allocator's RegionMap, so a free of its address is rejected as DOUBLE_FREE (or INTERIOR) by the
 *       live flag and the block start, exactly as while it was live. Nobody owns it but the slot.</li>
 *   <li>A region leaves a slot only by a successful CAS of that slot from it to something else, so exactly
 *       one thread takes it (to reuse it, or to unmap it when it is evicted or trimmed).</li>
 *   <li>At most {@code maxCount} regions are cached (one per slot) and {@code bytes <= maxBytes}: bytes are
 *       reserved by CAS before the region is published in a slot and given back after it is taken out.</li>
 *   <li>No ABA hazard: a slot holds a reference, the size of a region never changes, and a region found in
 *       a slot is, whatever happened to it between the load and the CAS, again free and unowned if the CAS
 *       succeeds; only the eviction stamp may have changed, which only steers the choice of a victim.</li>
 * </ul>
 *
 * <p>Fit rule (see {@link #take}): a request of {@code length} bytes (already rounded to the RegionMap
 * granule) takes the smallest cached region with {@code length <= size <= 2 * length}, an exact size at
 * once. A mapping cannot be split (one mmap, one munmap) so a larger one is handed out whole; the factor 2
 * bounds the address space wasted to half the block, and only pages a previous user touched are resident.
 *
 * <p>Eviction: a free that finds the byte bound full evicts the oldest cached regions (smallest stamp) until
 * its own region fits; one that finds every slot full swaps its region for the oldest one. So the cache
 * follows the sizes a program uses now. A region larger than {@code maxBytes} is never cached. Evicted
 * regions are unmapped at once by the {@code release} callback.
 *
 * <p>No {@code madvise} on the way in: it would cost a syscall per free (what the cache is there to save)
 * and page faults on every reuse. The resident cost is bounded by {@code maxBytes}, and {@link #drain}
 * (the allocator's {@code trim()}) gives it all back.
 *
 * <p>Thread-safe and lock-free; allocates nothing on the Java heap.
 */
final class DirectMappingCache {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(DirectRegion[].class);
    private static final VarHandle CLOCK;

    static {
        try {
            CLOCK = MethodHandles.lookup().findVarHandle(DirectMappingCache.class, "clock", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DirectRegion[] slots;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    /**
     * Last eviction stamp handed out. Bumped without a lock or an atomic read-modify-write (opaque load
     * and store): exact for one thread, and racing frees may share a stamp or lose a bump, which only
     * blurs the eviction order between mappings freed at the same moment. Saves an atomic per free.
     */
    @SuppressWarnings("unused") // through CLOCK
    private long clock;
    /** Unmaps a region evicted from the cache (it is out of every slot already). */
    private final Consumer<DirectRegion> release;

    DirectMappingCache(int maxCount, long maxBytes, Consumer<DirectRegion> release) {
        if (maxCount < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("cache bounds must be >= 0: " + maxCount + " mappings, " + maxBytes + " bytes");
        }
        this.slots = new DirectRegion[maxBytes == 0 ? 0 : maxCount];
        this.maxBytes = maxBytes;
        this.release = release;
    }

    /** The fit rule: a mapping of {@code size} bytes serves a request of {@code length} (both granule-rounded). */
    static boolean fits(long size, long length) {
        return size >= length && size - length <= length;
    }

    /** False when either bound is 0: every free unmaps at once. */
    boolean enabled() {
        return slots.length > 0;
    }

    /**
     * Takes the best-fitting cached region for a block of {@code length} bytes (see the fit rule in the
     * class comment), or null. The caller owns what it gets.
     */
    DirectRegion take(long length) {
        if (bytes.get() == 0) {
            return null; // nothing cached: a region is counted in bytes for as long as it sits in a slot
        }
        while (true) {
            int best = -1;
            DirectRegion bestRegion = null;
            long bestSize = Long.MAX_VALUE;
            for (int i = 0; i < slots.length; i++) {
                DirectRegion r = (DirectRegion) SLOT.getAcquire(slots, i);
                if (r != null) {
                    long size = r.size();
                    if (fits(size, length) && size < bestSize) {
                        best = i;
                        bestRegion = r;
                        bestSize = size;
                        if (size == length) {
                            break;
                        }
                    }
                }
            }
            if (bestRegion == null) {
                return null;
            }
            if (SLOT.compareAndSet(slots, best, bestRegion, null)) {
                bytes.addAndGet(-bestRegion.mapping().reservedSize());
                return bestRegion;
            }
            // another thread changed that slot: look again
        }
    }

    /**
     * Caches the freed region {@code r}, evicting (and releasing) older ones if the bounds ask for it.
     * False when {@code r} cannot be cached (cache off, {@code r} larger than the byte bound, or the bytes
     * held by other threads' offers in flight): the caller unmaps it.
     */
    boolean offer(DirectRegion r) {
        long length = r.mapping().reservedSize();
        if (slots.length == 0 || length > maxBytes) {
            return false;
        }
        while (true) {
            long b = bytes.get();
            if (b + length <= maxBytes) {
                if (bytes.compareAndSet(b, b + length)) {
                    break;
                }
            } else {
                DirectRegion victim = takeOldest();
                if (victim == null) {
                    return false;
                }
                release.accept(victim);
            }
        }
        long stamp = (long) CLOCK.getOpaque(this) + 1;
        CLOCK.setOpaque(this, stamp);
        r.cachedAt = stamp;
        while (true) {
            int oldest = -1;
            DirectRegion oldestRegion = null;
            for (int i = 0; i < slots.length; i++) {
                DirectRegion v = (DirectRegion) SLOT.getAcquire(slots, i);
                if (v == null) {
                    if (SLOT.compareAndSet(slots, i, null, r)) {
                        return true;
                    }
                } else if (oldestRegion == null || v.cachedAt < oldestRegion.cachedAt) {
                    oldest = i;
                    oldestRegion = v;
                }
            }
            if (oldestRegion != null && SLOT.compareAndSet(slots, oldest, oldestRegion, r)) {
                bytes.addAndGet(-oldestRegion.mapping().reservedSize());
                release.accept(oldestRegion);
                return true;
            }
        }
    }

    /** Takes the oldest cached region out of its slot, or null when none is cached. */
    private DirectRegion takeOldest() {
        while (true) {
            int oldest = -1;
            DirectRegion oldestRegion = null;
            for (int i = 0; i < slots.length; i++) {
                DirectRegion v = (DirectRegion) SLOT.getAcquire(slots, i);
                if (v != null && (oldestRegion == null || v.cachedAt < oldestRegion.cachedAt)) {
                    oldest = i;
                    oldestRegion = v;
                }
            }
            if (oldestRegion == null) {
                return null;
            }
            if (SLOT.compareAndSet(slots, oldest, oldestRegion, null)) {
                bytes.addAndGet(-oldestRegion.mapping().reservedSize());
                return oldestRegion;
            }
        }
    }

    /** Releases every cached region; returns how many. */
    int drain() {
        int n = 0;
        for (int i = 0; i < slots.length; i++) {
            DirectRegion v = (DirectRegion) SLOT.getAndSet(slots, i, null);
            if (v != null) {
                bytes.addAndGet(-v.mapping().reservedSize());
                release.accept(v);
                n++;
            }
        }
        return n;
    }

    /** Empties every slot without releasing what it held (close unmaps every mapping itself); returns how many. */
    int forgetAll() {
        int n = 0;
        for (int i = 0; i < slots.length; i++) {
            DirectRegion v = (DirectRegion) SLOT.getAndSet(slots, i, null);
            if (v != null) {
                bytes.addAndGet(-v.mapping().reservedSize());
                n++;
            }
        }
        return n;
    }

    /** Regions cached now (exact when no free or allocate runs). */
    int count() {
        int n = 0;
        for (int i = 0; i < slots.length; i++) {
            if (SLOT.getAcquire(slots, i) != null) {
                n++;
            }
        }
        return n;
    }

    /** Bytes cached now, reservations in flight included (exact when no free or allocate runs). */
    long bytes() {
        return bytes.get();
    }

    int maxCount() {
        return slots.length;
    }

    long maxBytes() {
        return maxBytes;
    }
}
