package dev.slabworks.harness.workload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongConsumer;

/**
 * A bounded single-producer single-consumer queue of block addresses (0 means "empty"), the way
 * {@code remote-free}, {@code mt-remote} and {@code xmalloc} pass a block from one thread to another.
 * No locks and no allocation per element, and the two threads share no line but the slots in flight:
 * <pre>
 *   buffer:  [ slot 0 | slot 1 | ... | slot n-1 ]     a slot is 0 when free, the address when full
 *   cursors: [ pad x16 | tail | pad x16 | head | pad x16 ]  tail: the producer's own, head: the consumer's own
 * </pre>
 * A slot is its own flag: the producer fills slot {@code tail} only when it reads 0 there (acquire) and
 * publishes it with a release store; the consumer takes slot {@code head} when it reads non-zero there
 * (acquire) and frees it with a release store of 0. Neither reads the other's cursor, so a slot's line is
 * the only one the two threads pass between them, and with the queue neither empty nor full they work on
 * different lines. A first version kept {@code head} and {@code tail} in two {@code AtomicLong}s, allocated
 * side by side, that each side read on every call, so the two threads passed that line back and forth on
 * every hand-off; remote-free read some contenders at 8-13M ops/s in one JVM and at 20-30M in the others
 * (docs/DESIGN.md §19, "The workload's own hand-off").
 */
final class HandOffRing {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    /** 16 longs (128 bytes: two lines, as the adjacent-line prefetcher pairs them) before, between and after the cursors. */
    private static final int TAIL = 16;
    private static final int HEAD = TAIL + 17;

    private final long[] buffer;
    private final int mask;
    /** {@code [TAIL]}: written and read by the producer only; {@code [HEAD]}: by the consumer only. */
    private final long[] cursors = new long[HEAD + 17];

    HandOffRing(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacityPowerOfTwo);
        }
        buffer = new long[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    /** Producer side: false when full (the consumer has not taken the slot the next address goes to). */
    boolean offer(long address) {
        if (address == 0) {
            throw new IllegalArgumentException("0 marks a free slot");
        }
        long t = cursors[TAIL];
        int i = (int) (t & mask);
        if ((long) SLOT.getAcquire(buffer, i) != 0) {
            return false;
        }
        SLOT.setRelease(buffer, i, address);
        cursors[TAIL] = t + 1;
        return true;
    }

    /**
     * After the threads of a run ended (untimed): hands {@code free} every address still in {@code ring}, then every
     * one in {@code slots} (0 is an empty slot), what a worker left behind.
     */
    static void freeLeft(HandOffRing ring, long[] slots, LongConsumer free) {
        long p;
        while ((p = ring.poll()) != 0) {
            free.accept(p);
        }
        for (long q : slots) {
            if (q != 0) {
                free.accept(q);
            }
        }
    }

    /** Consumer side: the oldest address, or 0 when empty. */
    long poll() {
        long h = cursors[HEAD];
        int i = (int) (h & mask);
        long address = (long) SLOT.getAcquire(buffer, i);
        if (address == 0) {
            return 0;
        }
        SLOT.setRelease(buffer, i, 0L);
        cursors[HEAD] = h + 1;
        return address;
    }
}
