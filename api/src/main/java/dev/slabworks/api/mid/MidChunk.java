package dev.slabworks.api.mid;

import dev.slabworks.api.Region;
import dev.slabworks.api.os.Mapping;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One mapping of the mid path: {@code capacity} blocks of {@code stride} bytes, each a 16-byte header then the
 * caller's bytes. A {@link MidPolicy#BLOCK} mapping is a chunk of one block. Every state lives here, on the Java
 * heap: which blocks are allocated (one byte each, claimed by CAS on free), the free list ({@link #next}, indices)
 * and the lists the path keeps chunks on. Nothing is read back from the mapping.
 *
 * <pre>
 *   base                                                                      base + size
 *   | hdr | block 0 ...    | hdr | block 1 ...    | ... | hdr | block n-1 ... | tail |
 *   '------ stride -------'
 *   block i's address = base + i * stride + HEADER;  i = (address - base - HEADER) / stride, remainder 0
 * </pre>
 */
final class MidChunk extends Region {
    static final byte FREE = 0;
    static final byte ALLOCATED = 1;
    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(byte[].class);

    /** Size class of the pooled blocks; -1 for a {@link MidPolicy#BLOCK} mapping. */
    final int cls;
    final long stride;
    final int capacity;
    /** Bytes the caller may use in each block: {@code stride - HEADER}. */
    final long usable;
    private final byte[] state;

    // ---- pooled bookkeeping, under the lock of the chunk's MidClass ----
    /** The next free block after block i ({@code -1}: none); meaningful for free blocks only. */
    final int[] next;
    int freeHead;
    int used;
    /** Links of its class's list of chunks with a free block; {@link #available} says whether it is on it. */
    MidChunk availablePrev;
    MidChunk availableNext;
    boolean available;

    // ---- the path's list of every mapped chunk, under that list's lock ----
    MidChunk mappedPrev;
    MidChunk mappedNext;

    MidChunk(Mapping mapping, int cls, long stride) {
        super(mapping);
        this.cls = cls;
        this.stride = stride;
        this.capacity = (int) (mapping.size() / stride);
        this.usable = stride - MidPath.HEADER;
        this.state = new byte[capacity];
        this.next = new int[cls < 0 ? 0 : capacity];
        for (int i = 0; i < next.length; i++) {
            next[i] = i + 1 < capacity ? i + 1 : -1;
        }
        this.freeHead = cls < 0 ? -1 : 0;
    }

    /** The caller's address of block {@code i}. */
    long address(int i) {
        return base() + i * stride + MidPath.HEADER;
    }

    /** The block whose caller's address is {@code address}, or -1 when it is not a block start of this chunk. */
    int indexOf(long address) {
        long off = address - base() - MidPath.HEADER;
        if (off < 0 || off % stride != 0 || off / stride >= capacity) {
            return -1;
        }
        return (int) (off / stride);
    }

    boolean isAllocated(int i) {
        return (byte) STATE.getAcquire(state, i) == ALLOCATED;
    }

    /** Hands block {@code i} out (its taker owns it: a fresh mapping, or popped under its class's lock). */
    void markAllocated(int i) {
        STATE.setRelease(state, i, ALLOCATED);
    }

    /** Claims the free of block {@code i}: true for exactly one caller however many race, false if it is not allocated. */
    boolean claimFree(int i) {
        return STATE.compareAndSet(state, i, ALLOCATED, FREE);
    }

    /** Pops a free block (pooled, under the class lock), or -1. */
    int pop() {
        int i = freeHead;
        if (i >= 0) {
            freeHead = next[i];
            used++;
        }
        return i;
    }

    /** Pushes a block back on the free list (pooled, under the class lock, after {@link #claimFree}). */
    void push(int i) {
        next[i] = freeHead;
        freeHead = i;
        used--;
    }

    @Override
    public String toString() {
        return "mid chunk [0x" + Long.toHexString(base()) + ", " + size() + " B, " + capacity + " x " + stride
                + (cls < 0 ? "" : ", class " + cls) + "]";
    }
}
