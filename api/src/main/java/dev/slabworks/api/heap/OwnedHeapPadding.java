package dev.slabworks.api.heap;

/**
 * The bytes of a per-thread heap before its hot fields: 64 bytes of padding, the owner thread, 64 bytes of padding.
 * Another thread reads a heap's {@link #thread} on every call that misses the first entry of its allocator's heap
 * cache (it checks whether the cached heap is its own); the owner writes its heap's counters and list heads on every
 * call. On one cache line the two would trade the line on every call of both threads: with the field beside
 * {@link OwnedHeap#ops}, two threads on one allocator each ran at about half their single-thread speed.
 * <pre>
 *   | header 12 | gap 4 | 64 B padding | thread 4 | gap 4 | 64 B padding | OwnedHeap's fields, then the strategy's |
 *   byte 0                             80                                152
 * </pre>
 * A 64-byte line holding {@code thread} lies within bytes 17..146: padding and the thread only. HotSpot lays out a
 * superclass's fields before its subclass's but fills the superclass's gaps with the subclass's small fields, so
 * each padding class fills its own gap with an int. This holds for HotSpot's default object layout (compressed
 * class pointers, no compact object headers); {@code OwnedHeapLayoutTest} checks it.
 */
abstract class OwnedHeapPadding {
    int gapBeforeThread;
    long b1, b2, b3, b4, b5, b6, b7, b8;
}

/** The owner thread, alone between two paddings (see {@link OwnedHeapPadding}). */
abstract class OwnedHeapThread extends OwnedHeapPadding {
    /** The thread this heap belongs to (null for a placeholder no thread owns): final, so safe to publish racily. */
    public final Thread thread;

    OwnedHeapThread(Thread thread) {
        this.thread = thread;
    }
}

/** The padding after the owner thread (see {@link OwnedHeapPadding}). */
abstract class OwnedHeapThreadPadding extends OwnedHeapThread {
    int gapAfterThread;
    long a1, a2, a3, a4, a5, a6, a7, a8;

    OwnedHeapThreadPadding(Thread thread) {
        super(thread);
    }
}
