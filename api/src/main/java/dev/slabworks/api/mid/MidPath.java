package dev.slabworks.api.mid;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.SyscallCause;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.MincoreCache;
import dev.slabworks.api.validate.PointerValidator;
import dev.slabworks.api.validate.RegionMap;

/**
 * The mid path, shared by every strategy (docs/DESIGN.md §22): requests above {@code small.max} and up to 32 KiB,
 * which the seed's family served apart from its tiny classes (those ended at 1023 bytes). Each block carries a
 * 16-byte header (a magic word and the size asked, for a human with a debugger: nothing reads it back) and its
 * memory comes from one of two policies ({@link MidPolicy}):
 * <ul>
 *   <li>{@code BLOCK}, the seed's: a mapping per block, {@code pageRound(size + 16)} bytes, unmapped by its free
 *       (after an {@code madvise} of it with {@code mid.madvise}, as the seed did);</li>
 *   <li>{@code POOLED}: per size class, chunks of {@code mid.chunk.size} bytes cut into blocks of the class's size
 *       plus the header; a chunk that empties is unmapped unless it is its class's only one with free blocks, so
 *       at most one empty chunk per class stays mapped ({@link #trim} unmaps those too).</li>
 * </ul>
 * Its mappings are registered in a {@link RegionMap} of its own, page-granular (a block's mapping is a few pages),
 * and its free validates an address with its own {@link PointerValidator} in {@code mid.validation}'s mode: the
 * seed's {@code mincore} before it trusted a header (MINCORE), the cached variant, or the registry alone. A strategy
 * asks the mid path about an address only after its own look-up found nothing, as the seed's free did once the
 * tiny look-up failed. Every call is counted under {@link SyscallCause#MID} (mapping, {@code madvise},
 * {@code munmap}) or {@link SyscallCause#VALIDATION} ({@code mincore}); close's under {@link SyscallCause#CLOSE}.
 *
 * <p>Safety, as everywhere: an address is classified from Java-side data only (the map, the chunk's block states);
 * a free claims its block with one CAS (racing frees: one winner, one DOUBLE_FREE) before anything is unmapped or
 * pushed; a chunk is unregistered before it is unmapped, so a late free finds nothing (FOREIGN) or a chunk whose
 * block is no longer allocated (DOUBLE_FREE), never memory that is gone. A BLOCK block's address is unmapped by
 * its free, so its second free reads FOREIGN.
 *
 * <p>Threads: BLOCK takes no lock but the RegionMap's and the mapped list's (a syscall is paid anyway); POOLED takes
 * its size class's lock to pop or push a block. The mid path is a slow path by design: the seed paid syscalls on
 * every mid block.
 */
public final class MidPath {
    /** Bytes before each block: a magic word and the size asked. */
    public static final int HEADER = 16;
    static final long MAGIC = 0x4d49_4442_4c4f_434bL; // "MIDBLOCK"

    private final MidConfig config;
    private final Os os;
    private final RegionMap<MidChunk> regions;
    private final PointerValidator<MidChunk> validator;
    private final MidClass[] classes;
    /** Every chunk mapped now: what {@link #closeAll} unmaps. */
    private MidChunk mappedHead;

    /** One size class of the pooled path: its lock, and its chunks with a free block. */
    private static final class MidClass {
        MidChunk availableHead;
        int availableCount;
    }

    public MidPath(Os os, MidConfig config) {
        this.config = config;
        this.os = os;
        if (config.enabled()) {
            this.regions = new RegionMap<>(Os.PAGE_SIZE);
            this.validator = new PointerValidator<>(config.validation(), regions, os, config.cacheEntries());
            this.classes = new MidClass[SizeClasses.COUNT];
            for (int c = 0; c < classes.length; c++) {
                classes[c] = new MidClass();
            }
        } else {
            this.regions = null;
            this.validator = null;
            this.classes = null;
        }
    }

    public MidConfig config() {
        return config;
    }

    /** Whether any request takes this path ({@code small.max} below 32 KiB). */
    public boolean enabled() {
        return config.enabled();
    }

    /** The largest size the strategy's own classes serve. */
    public long smallMax() {
        return config.smallMax();
    }

    /** A per-thread cache for {@link #free} in MINCORE_CACHED mode (a one-entry placeholder otherwise, or off). */
    public MincoreCache newThreadCache() {
        return validator == null ? null : validator.newThreadCache();
    }

    /** A block of {@code size} bytes, {@code small.max < size <= 32 KiB}, counted in {@code stats}. */
    public long allocate(long size, ThreadStats stats) {
        if (size <= config.smallMax() || size > SizeClasses.MAX_SIZE) {
            throw new IllegalArgumentException("the mid path serves (" + config.smallMax() + ", "
                    + SizeClasses.MAX_SIZE + "] bytes, not " + size);
        }
        boolean block = config.policy() == MidPolicy.BLOCK;
        long address = block ? allocateBlock(size) : allocatePooled(size);
        Memory.putLong(address - HEADER, MAGIC);
        Memory.putLong(address - HEADER + 8, size);
        stats.increment(Stat.MID_ALLOCATIONS);
        stats.allocated(block ? Os.pageRound(size + HEADER) - HEADER : SizeClasses.size(SizeClasses.classOf(size)));
        return address;
    }

    private long allocateBlock(long size) {
        MidChunk c = map(Os.pageRound(size + HEADER), -1, Os.pageRound(size + HEADER));
        c.markAllocated(0);
        return c.address(0);
    }

    private long allocatePooled(long size) {
        int cls = SizeClasses.classOf(size);
        MidClass k = classes[cls];
        synchronized (k) {
            MidChunk c = k.availableHead;
            if (c == null) {
                c = map(config.chunkSize(), cls, SizeClasses.size(cls) + HEADER);
                addAvailable(k, c);
            }
            int i = c.pop();
            if (c.freeHead < 0) {
                removeAvailable(k, c);
            }
            c.markAllocated(i);
            return c.address(i);
        }
    }

    /** Frees the mid block at {@code address}, or rejects it (FOREIGN when the mid path does not own it either). */
    public void free(long address, ThreadStats stats, MincoreCache cache) {
        MidChunk c = validator == null ? null : validator.find(address, stats, cache);
        if (c == null) {
            throw InvalidFreeException.foreign(address, stats);
        }
        int i = blockIndex(c, address, stats);
        if (!c.claimFree(i)) {
            throw InvalidFreeException.doubleFree(address, stats, "mid block already freed");
        }
        stats.freed(c.usable);
        if (config.madvise()) {
            adviseBlock(c, i);
        }
        if (c.cls < 0) {
            unmap(c, SyscallCause.MID);
        } else {
            giveBack(c, i);
        }
    }

    /** The usable size of the live mid block at {@code address}, or a rejection (FOREIGN when not the mid path's). */
    public long usableSize(long address, ThreadStats stats, MincoreCache cache) {
        MidChunk c = validator == null ? null : validator.find(address, stats, cache);
        if (c == null) {
            throw InvalidFreeException.foreign(address, stats);
        }
        if (!c.isAllocated(blockIndex(c, address, stats))) {
            throw InvalidFreeException.doubleFree(address, stats, "mid block already freed");
        }
        return c.usable;
    }

    private static int blockIndex(MidChunk c, long address, ThreadStats stats) {
        int i = c.indexOf(address);
        if (i < 0) {
            throw InvalidFreeException.interior(address, stats, "not the start of a mid block of " + c);
        }
        return i;
    }

    /** The whole pages of block {@code i}, header included, back to the kernel (its owner freed it: no one reads it). */
    private void adviseBlock(MidChunk c, int i) {
        long start = c.address(i) - HEADER;
        long from = (start + Os.PAGE_SIZE - 1) & -Os.PAGE_SIZE;
        long to = (start + c.stride) & -Os.PAGE_SIZE;
        if (to > from) {
            os.advise(from, to - from, Advice.DONTNEED, SyscallCause.MID);
        }
    }

    /** A pooled block, claimed free, back on its chunk's list; an emptied chunk that is not its class's last goes. */
    private void giveBack(MidChunk c, int i) {
        MidClass k = classes[c.cls];
        synchronized (k) {
            c.push(i);
            if (!c.available) {
                addAvailable(k, c);
            }
            if (c.used == 0 && k.availableCount > 1) {
                removeAvailable(k, c);
                unmap(c, SyscallCause.MID);
            }
        }
    }

    /**
     * The region map that holds the block at {@code address}: the strategy's own {@code regions} when it knows the
     * address, else this mid path's (its chunks are registered apart). What {@code Allocator.segment} and
     * {@code bindScope} ask for a view or a binding ({@link RegionMap#view}, {@link RegionMap#bind}).
     */
    public RegionMap<?> mapHolding(RegionMap<?> regions, long address) {
        return this.regions == null || regions.lookup(address) != null ? regions : this.regions;
    }

    /** Unmaps every pooled chunk with no live block (the allocator's {@code trim()}); returns how many. */
    public int trim() {
        if (classes == null) {
            return 0;
        }
        int n = 0;
        for (MidClass k : classes) {
            synchronized (k) {
                MidChunk next;
                for (MidChunk c = k.availableHead; c != null; c = next) {
                    next = c.availableNext;
                    if (c.used == 0) {
                        removeAvailable(k, c);
                        unmap(c, SyscallCause.MID);
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Unmaps every mid mapping, live blocks and all (allocator close). */
    public void closeAll() {
        MidChunk c;
        while ((c = pollMapped()) != null) {
            regions.unregister(c);
            c.invalidateViews();
            os.unmap(c.mapping(), SyscallCause.CLOSE);
        }
    }

    // ---------------------------------------------------------------- mappings

    private MidChunk map(long length, int cls, long stride) {
        Mapping m = os.map(length, SyscallCause.MID);
        MidChunk c = new MidChunk(m, cls, stride);
        try {
            regions.register(c);
        } catch (Throwable t) { // e.g. no Java heap left for the map's leaves: the mapping must not leak
            os.unmap(m, SyscallCause.MID);
            throw t;
        }
        linkMapped(c);
        return c;
    }

    /** Unregisters (so no look-up finds it) and unmaps {@code c}. */
    private void unmap(MidChunk c, SyscallCause cause) {
        regions.unregister(c);
        unlinkMapped(c);
        c.invalidateViews();
        os.unmap(c.mapping(), cause);
    }

    private synchronized void linkMapped(MidChunk c) {
        c.mappedPrev = null;
        c.mappedNext = mappedHead;
        if (mappedHead != null) {
            mappedHead.mappedPrev = c;
        }
        mappedHead = c;
    }

    private synchronized void unlinkMapped(MidChunk c) {
        if (c.mappedPrev != null) {
            c.mappedPrev.mappedNext = c.mappedNext;
        } else {
            mappedHead = c.mappedNext;
        }
        if (c.mappedNext != null) {
            c.mappedNext.mappedPrev = c.mappedPrev;
        }
        c.mappedPrev = null;
        c.mappedNext = null;
    }

    private synchronized MidChunk pollMapped() {
        MidChunk c = mappedHead;
        if (c != null) {
            unlinkMapped(c);
        }
        return c;
    }

    /** Mid mappings mapped now (diagnostics: walks the list). */
    public synchronized int mappedCount() {
        int n = 0;
        for (MidChunk c = mappedHead; c != null; c = c.mappedNext) {
            n++;
        }
        return n;
    }

    private static void addAvailable(MidClass k, MidChunk c) {
        c.available = true;
        c.availablePrev = null;
        c.availableNext = k.availableHead;
        if (k.availableHead != null) {
            k.availableHead.availablePrev = c;
        }
        k.availableHead = c;
        k.availableCount++;
    }

    private static void removeAvailable(MidClass k, MidChunk c) {
        if (c.availablePrev != null) {
            c.availablePrev.availableNext = c.availableNext;
        } else {
            k.availableHead = c.availableNext;
        }
        if (c.availableNext != null) {
            c.availableNext.availablePrev = c.availablePrev;
        }
        c.availablePrev = null;
        c.availableNext = null;
        c.available = false;
        k.availableCount--;
    }
}
