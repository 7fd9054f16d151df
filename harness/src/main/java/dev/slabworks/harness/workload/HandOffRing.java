package dev.slabworks.harness.workload;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer single-consumer queue of block addresses (0 means "empty"), the way
 * {@code remote-free} passes a block from the thread that allocated it to the one that frees it.
 * The producer publishes a slot with a release store of {@code tail}; the consumer reads
 * {@code tail} (acquire) before the slot and releases it with a store of {@code head}. No locks and
 * no allocation per element, so the hand-off itself costs the benchmark little.
 */
final class HandOffRing {
    private final long[] buffer;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    HandOffRing(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacityPowerOfTwo);
        }
        buffer = new long[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    /** Producer side: false when full. */
    boolean offer(long address) {
        long t = tail.getPlain();
        if (t - head.getAcquire() == buffer.length) {
            return false;
        }
        buffer[(int) (t & mask)] = address;
        tail.setRelease(t + 1);
        return true;
    }

    /** Consumer side: the oldest address, or 0 when empty. */
    long poll() {
        long h = head.getPlain();
        if (h == tail.getAcquire()) {
            return 0;
        }
        long address = buffer[(int) (h & mask)];
        head.setRelease(h + 1);
        return address;
    }
}
