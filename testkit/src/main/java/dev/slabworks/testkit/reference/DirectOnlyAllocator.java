package dev.slabworks.testkit.reference;

import dev.slabworks.api.Reallocation;
import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.PerThread;
import dev.slabworks.api.Region;
import dev.slabworks.api.direct.DirectMappings;
import dev.slabworks.api.direct.DirectRegion;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.CloseReport;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.MincoreCache;
import dev.slabworks.api.validate.PointerValidator;
import dev.slabworks.api.validate.RegionMap;
import dev.slabworks.api.validate.ValidationMode;

/**
 * The simplest allocator the api can build: every block is its own mapping. Slow by design (one
 * mmap per allocation, the seed's worst case); it exists so that the contract suite and the fuzz
 * driver are themselves tested against a known-good implementation of the SPI.
 */
public final class DirectOnlyAllocator implements Allocator {
    public static final long GRANULE = 64 << 10;

    public static final AllocatorFactory FACTORY = new AllocatorFactory() {
        @Override
        public String name() {
            return "direct-only";
        }

        @Override
        public String description() {
            return "every block its own mapping (test reference)";
        }

        @Override
        public Allocator create(Knobs knobs, Os os) {
            return new DirectOnlyAllocator(knobs, os);
        }
    };

    private record Local(ThreadStats stats, MincoreCache cache) {
    }

    private final Knobs knobs;
    private final Os os;
    private final Stats stats;
    private final PointerValidator<Region> validator;
    private final DirectMappings direct;
    private final PerThread<Local> local;

    /** Over the C library's kernel. */
    public DirectOnlyAllocator(Knobs knobs) {
        this(knobs, new Os());
    }

    /** Every kernel call through {@code os}. */
    public DirectOnlyAllocator(Knobs knobs, Os os) {
        this.knobs = knobs;
        this.os = os;
        this.stats = new Stats(os);
        RegionMap<Region> regions = new RegionMap<>(GRANULE);
        this.validator = new PointerValidator<>(ValidationMode.from(knobs.text(Knob.VALIDATION), ValidationMode.REGISTRY),
                regions, os, knobs.intValue(Knob.MINCORE_CACHE_ENTRIES));
        this.direct = new DirectMappings(os, regions, knobs.intValue(Knob.DIRECT_CACHE_COUNT),
                knobs.longValue(Knob.DIRECT_CACHE_BYTES), 0); // the reference: the shared cache alone
        this.local = new PerThread<>(() -> new Local(stats.registerThread(), validator.newThreadCache()));
    }

    @Override
    public String name() {
        return FACTORY.name();
    }

    @Override
    public long allocate(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        return direct.allocate(size, local.get().stats());
    }

    @Override
    public void free(long address) {
        Local l = local.get();
        direct.free(owner(address, l), address, l.stats());
    }

    @Override
    public long usableSize(long address) {
        Local l = local.get();
        return direct.usableSize(owner(address, l), address, l.stats());
    }

    /** A view scoped to the block's mapping: it throws once the mapping is unmapped (see {@link Region#view}). */
    @Override
    public java.lang.foreign.MemorySegment segment(long address) {
        return validator.regions().view(address, usableSize(address));
    }

    /** Ties {@code scope} to the block's mapping: closed before it is unmapped (see {@link Region#bind}). */
    @Override
    public void bindScope(long address, java.lang.foreign.Arena scope) {
        usableSize(address);
        validator.regions().bind(address, scope);
    }

    @Override
    public long reallocate(long address, long newSize) {
        return Reallocation.reallocate(this, address, newSize, local.get().stats(), knobs.intValue(Knob.REALLOC_GROWTH));
    }

    private DirectRegion owner(long address, Local l) {
        Region r = validator.find(address, l.stats(), l.cache());
        if (r == null) {
            throw InvalidFreeException.foreign(address, l.stats());
        }
        return (DirectRegion) r;
    }

    /** Unmaps the direct-mapping cache. */
    @Override
    public void trim() {
        direct.trim();
    }

    @Override
    public Knobs knobs() {
        return knobs;
    }

    @Override
    public StatsSnapshot stats() {
        return stats.snapshot();
    }

    /** Unmaps every block; if the kernel refuses some even on a last retry, reports it and throws (see {@code Os}). */
    @Override
    public void close() {
        direct.closeAll();
        os.retryUnreleased();
        new CloseReport(System.err, name(), stats.snapshot()).kernelFailures(os.lastFailure());
        os.requireAllReleased();
    }
}
