package dev.slabworks.superslab;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.Region;
import dev.slabworks.api.list.IntrusiveList;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.slab.Slab;
import dev.slabworks.api.stats.ThreadStats;

/**
 * One SuperSlab: a mapping of {@code ssSize} bytes aligned to {@code ssSize} (knob {@code ss.size},
 * default 2 MiB) whose blocks all belong to ONE size class: one in-band header, then one {@link Slab}.
 *
 * <pre>
 *   base = p &amp; -ssSize                                                 base + ssSize
 *   | header | block 0 | block 1 | ... | block capacity-1 | tail  | never used ...  |
 *   0        64        64+bs                             64+capacity*bs            ssSize
 *            '------------- the slab: span = min(ssSize - 64, 32 MiB) ----'
 *
 *   header (in-band, for a human with a debugger; nothing in the allocator ever reads it back):
 *   0          8            12            16                  24                 64
 *   | magic    | size class | format count | SuperSlab id      | zero ...         |
 * </pre>
 *
 * <ol>
 *   <li>{@code base % ssSize == 0}; a block's SuperSlab is {@code p & -ssSize}, found by the allocator's
 *       RegionMap (which is also the validation: an address whose granule is not registered is foreign).</li>
 *   <li>{@code block i = [base + 64 + i * bs, base + 64 + (i + 1) * bs)}, with
 *       {@code i = SizeClasses.blockIndex(cls, p - base - 64)}: arithmetic, no division. Every block is
 *       16-byte aligned because 64 and every class size are multiples of 16.</li>
 *   <li>{@code capacity = floor(span / bs)}; the span is capped at {@link SizeClasses#MAX_DIVIDEND} so that
 *       {@code blockIndex} stays exact. Beyond it (only for {@code ss.size > 32 MiB}) pages are reserved
 *       but never touched, which costs address space only.</li>
 *   <li>Only the Java-side {@link Slab} (block states, local free list head, remote stack head) says which
 *       block is live; validation reads it, never the header or the blocks.</li>
 * </ol>
 *
 * <p>Default size 2 MiB (the table's default, kept): on random-mixed 16..1024 the 20 classes in use fit one
 * SuperSlab each, 20 mmaps in all; 64 KiB needs 36 of them and 256 KiB 22 (measured, 200000 4096 1234567).
 * The cost of per-class SuperSlabs stays visible in {@code SUPERSLABS_PEAK}: a class with one live block
 * still holds a whole SuperSlab.
 *
 * <p>A SuperSlab is <em>formatted</em> for a class and an owner heap when a heap takes it (fresh, from
 * the LRU, or prewarmed); the new {@link Slab} is published through a volatile field, so a thread that
 * reads {@link #slab()} sees a complete descriptor. An empty SuperSlab keeps its last (all-FREE) slab
 * until it is re-formatted, so late hostile frees into it are rejected without touching memory.
 */
final class SuperSlab extends Region {
    static final int HEADER_SIZE = 64;
    static final long MAGIC = 0x53555045_52534c42L; // "SUPERSLB"
    static final int MAGIC_OFFSET = 0;
    static final int CLASS_OFFSET = 8;
    static final int FORMATS_OFFSET = 12;
    static final int ID_OFFSET = 16;

    private final long id;
    private final long span;
    private volatile Slab slab;
    /**
     * Taken over from the heap of an ended thread since it was formatted (the owner's write, read racily as a hint by
     * remote freers, which then do not hold its blocks: see {@link RemoteFrees}).
     */
    boolean adopted;
    private int formats;

    /**
     * Its place in its owner heap's partial or full list of its class (owner thread only); on no list while it is
     * its class's current SuperSlab or owned by no heap.
     */
    final IntrusiveList.Link<SuperSlab> heapLink = new IntrusiveList.Link<>(this);

    SuperSlab(Mapping mapping, long id) {
        super(mapping);
        this.id = id;
        this.span = slabSpan(mapping.size());
    }

    /** Bytes the slab of a {@code ssSize}-byte SuperSlab covers. */
    static long slabSpan(long ssSize) {
        return Math.min(ssSize - HEADER_SIZE, SizeClasses.MAX_DIVIDEND);
    }

    /** Blocks of class {@code cls} one {@code ssSize}-byte SuperSlab holds. */
    static int capacity(long ssSize, int cls) {
        return (int) (slabSpan(ssSize) / SizeClasses.size(cls));
    }

    long id() {
        return id;
    }

    /** The current slab, or null when the SuperSlab was never formatted (prewarmed, unused). */
    Slab slab() {
        return slab;
    }

    int formats() {
        return formats;
    }

    /** Lays out a fresh slab of {@code cls} owned by {@code owner}, shared from the start when {@code shared}, and writes the header. */
    Slab format(int cls, Object owner, boolean shared) {
        Slab s = new Slab(base() + HEADER_SIZE, span, cls, shared);
        s.owner = owner;
        adopted = false;
        formats++;
        long b = base();
        Memory.putLong(b + MAGIC_OFFSET, MAGIC);
        Memory.putInt(b + CLASS_OFFSET, cls);
        Memory.putInt(b + FORMATS_OFFSET, formats);
        Memory.putLong(b + ID_OFFSET, id);
        slab = s; // volatile: publishes the slab and its owner
        return s;
    }

    @Override
    public String toString() {
        Slab s = slab;
        return "SuperSlab#" + id + "[0x" + Long.toHexString(base()) + ", " + size() + " B, "
                + (s == null ? "unformatted" : s.toString()) + "]";
    }

    /** The INTERIOR rejection of {@code address}, which lies in the SuperSlab of slab {@code s} (null: not formatted yet). */
    static InvalidFreeException interior(Slab s, long address, ThreadStats st) {
        if (s == null || address < s.base()) {
            return InvalidFreeException.interior(address, st,
                    s == null ? "in a SuperSlab not formatted yet" : "in a SuperSlab header");
        }
        return InvalidFreeException.interior(address, st, "not the start of a "
                + s.blockSize() + "-byte block of the SuperSlab at 0x" + Long.toHexString(s.base() - HEADER_SIZE));
    }
}
