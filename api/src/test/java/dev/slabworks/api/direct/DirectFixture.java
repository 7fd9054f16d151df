package dev.slabworks.api.direct;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.Syscall;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.RegionMap;

/**
 * {@link DirectMappings} wired the way an allocator wires it (its own {@link Os}, a {@link RegionMap},
 * per-thread stats), with the allocator's free path: a RegionMap look-up, FOREIGN when nothing is
 * registered there, then {@link DirectMappings#free}.
 */
final class DirectFixture implements AutoCloseable {
    static final long GRANULE = 64 << 10;

    final Os os = new Os();
    final Stats stats = new Stats(os);
    final RegionMap<DirectRegion> regions = new RegionMap<>(GRANULE);
    final ThreadStats local = stats.registerThread();
    final DirectMappings direct;

    DirectFixture(int cacheCount, long cacheBytes) {
        this(cacheCount, cacheBytes, 0);
    }

    /** With {@link DirectFront}s of up to {@code frontBytes}; the fixture's own calls pass none. */
    DirectFixture(int cacheCount, long cacheBytes, long frontBytes) {
        this.direct = new DirectMappings(os, regions, cacheCount, cacheBytes, frontBytes);
    }

    /** The allocator's free path with the caller's {@code front}. */
    void free(long address, DirectFront front) {
        DirectRegion r = regions.lookup(address);
        if (r == null) {
            throw InvalidFreeException.foreign(address, local);
        }
        direct.free(r, address, local, front);
    }

    long allocate(long size) {
        return direct.allocate(size, local);
    }

    void free(long address) {
        free(address, local);
    }

    void free(long address, ThreadStats st) {
        DirectRegion r = regions.lookup(address);
        if (r == null) {
            throw InvalidFreeException.foreign(address, st);
        }
        direct.free(r, address, st);
    }

    long usableSize(long address) {
        DirectRegion r = regions.lookup(address);
        if (r == null) {
            throw InvalidFreeException.foreign(address, local);
        }
        return direct.usableSize(r, address, local);
    }

    long mmaps() {
        return os.syscalls().count(Syscall.MMAP);
    }

    long munmaps() {
        return os.syscalls().count(Syscall.MUNMAP);
    }

    @Override
    public void close() {
        direct.closeAll();
    }
}
