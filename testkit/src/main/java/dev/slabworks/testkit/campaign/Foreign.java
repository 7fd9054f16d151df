package dev.slabworks.testkit.campaign;

import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Addresses no allocator under test owns, for hostile frees: memory of another mapping, a hole
 * that was mapped and is not any more, Java-managed native memory, memory the JVM mapped for
 * itself (its heap reservation, {@code libjvm.so}, the stack), and values that are not addresses
 * at all. Close it to release what it mapped.
 */
public final class Foreign implements AutoCloseable {
    private final Os os = new Os();
    private final Arena arena = Arena.ofShared();
    private final Mapping mapping;
    private final long hole;
    private final MemorySegment arenaBlock;

    public Foreign() {
        mapping = os.map(4 * Os.PAGE_SIZE);
        Mapping gone = os.map(Os.PAGE_SIZE);
        hole = gone.address();
        os.unmap(gone);
        arenaBlock = arena.allocate(4096, 16);
    }

    /** The start of an anonymous mapping someone else made. */
    public long otherMapping() {
        return mapping.address();
    }

    /** Inside someone else's mapping, aligned like a block. */
    public long insideOtherMapping() {
        return mapping.address() + Os.PAGE_SIZE + 64;
    }

    /** A page that was mapped and has been unmapped. */
    public long unmappedHole() {
        return hole;
    }

    /** Whether someone has mapped the {@link #unmappedHole()} page again since (mincore; reads nothing). */
    public boolean holeReused() {
        return os.isMapped(hole);
    }

    /** Native memory the JVM's arena handed out. */
    public long arenaBlock() {
        return arenaBlock.address();
    }

    /** Every hostile address that is foreign to any allocator, with a name for messages. */
    public long[] all() {
        return concat(new long[] {
            0L, 16L, 4096L, -1L, -16L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 47, 1L << 56,
            otherMapping(), insideOtherMapping(), insideOtherMapping() + 3, unmappedHole(),
            arenaBlock(), arenaBlock() + 32,
        }, jvm());
    }

    /** Addresses inside memory the JVM mapped for itself: its heap, libjvm.so, the stack (see {@link JvmMappings}). */
    public static long[] jvm() {
        return JvmMappings.sites().stream().mapToLong(JvmMappings.Site::address).toArray();
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public void close() {
        os.unmap(mapping);
        arena.close();
    }
}
