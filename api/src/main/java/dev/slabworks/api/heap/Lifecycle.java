package dev.slabworks.api.heap;

import dev.slabworks.api.AllocatorUnusableException;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.OsException;
import dev.slabworks.api.os.OutOfNativeMemoryError;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * One allocator's state (usable, closed, or broken by an unexpected throwable) and the handshake that lets
 * its owner threads work with plain memory accesses while a rare operation of another thread must not
 * overlap with any of theirs. Two operations need that:
 * <ul>
 *   <li>{@code close()}, which unmaps memory that an operation in flight on another thread could touch;</li>
 *   <li>the first free of a block by a thread other than the owner of its slab ({@link #quiesceFrom}):
 *       from then on the owner's frees in that slab claim the block with a CAS, but an owner free that began
 *       earlier may have read the slab as not shared and be about to store FREE with a plain write, which
 *       would let both frees succeed. (mimalloc-like's pages need no wait: the owner's free marks the block
 *       it is freeing in the page, and the remote side only fences, {@link #fenceEveryThread}.)</li>
 * </ul>
 *
 * <p>The handshake is an asymmetric Dekker protocol:
 * <pre>
 *   owner, every framed operation ({@link OwnedHeap})  rare operation, another thread
 *   ops = odd           (opaque store)             flag = true       (volatile store: closed, slab sharing)
 *   read the flag       (plain load, kept after    Os.barrier()      (every running thread of the process
 *                        the store by the JIT)                        executes a full fence: membarrier)
 *   ... the operation ...
 *   ops = even          (release store)            for each heap: while ops is the odd value first read, wait
 * </pre>
 * Either the owner's store to {@code ops} happened before the barrier, and the waiter sees it and waits for
 * that operation to end, or the owner's read of the flag comes after the barrier and sees it. So an owner
 * pays two plain stores and a load per operation, and no fence; the rare side pays one system call and a
 * scan of the heaps. Where {@code membarrier} is not available {@link OwnedHeap#enter} stores {@code ops}
 * with an atomic swap, a full fence (correct, and slower). Paths that touch only Java arrays (an allocation from a
 * front cache or a page, mimalloc-like's owner free) take no frame: a racing close cannot hurt them, and they check
 * {@link #usableNow}.
 *
 * <p>Broken: an operation's exception handler calls {@link #failed}. Failures an operation reports with
 * everything unchanged ({@link InvalidFreeException}, {@link IllegalArgumentException},
 * {@link OutOfNativeMemoryError}, {@link OsException}, {@link AllocatorUnusableException}) leave the allocator
 * usable (the OS layer throws only before its caller changed anything: see {@link Os}); anything
 * else (a {@link StackOverflowError} or Java-heap {@link OutOfMemoryError} midway, a bug) may have left a
 * list half linked, so every later call fails with {@link AllocatorUnusableException} naming it.
 */
public final class Lifecycle {
    private static final Object CLOSED = new Object();
    private static final VarHandle HALT;

    static {
        try {
            HALT = MethodHandles.lookup().findVarHandle(Lifecycle.class, "halt", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String allocator;
    private final Os os;
    /** Null while usable; {@link #CLOSED}, or the throwable that broke the allocator. */
    private volatile Object halt;
    /** Set once by the first {@link #beginClose}. */
    private volatile boolean closing;

    /**
     * Initializes {@code classes} now. A class whose static initializer first runs on an exhausted stack fails
     * for the rest of the JVM's life ({@code NoClassDefFoundError}), so an allocator's constructor initializes
     * the classes with static state that its operations use, rather than leave it to its first call, which may
     * come from deep in a recursion.
     */
    public static void initialize(Class<?>... classes) {
        for (Class<?> c : classes) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** @param allocator the allocator's name, for messages */
    public Lifecycle(String allocator, Os os) {
        this.allocator = allocator;
        this.os = os;
    }

    /** Whether operations may proceed (a volatile read). */
    public boolean usable() {
        return halt == null;
    }

    /**
     * {@link #usable} as a plain read, for the fast paths: after {@link OwnedHeap#enter} (whose opaque store the JIT
     * keeps before it) the handshake needs no more, and on a path with no frame it needs only to see a close that
     * happened before the call. A call racing close may read it stale and complete; that is allowed.
     */
    public boolean usableNow() {
        return HALT.get(this) == null;
    }

    /** The exception for a call that found the allocator not {@link #usable}. */
    public AllocatorUnusableException unusable() {
        Object h = halt;
        if (h == CLOSED || h == null) {
            return new AllocatorUnusableException(allocator + " allocator is closed", null);
        }
        Throwable cause = (Throwable) h;
        return new AllocatorUnusableException(allocator + " allocator is unusable: " + cause.getClass().getName()
                + " was thrown inside an operation, which may have left it half changed", cause);
    }

    /**
     * An operation's exception handler: marks the allocator broken unless {@code t} left everything unchanged.
     * A leaf that calls nothing (a racy check-then-store: any throwable that lands is a fine cause), so that
     * after a {@link StackOverflowError} it needs no more stack than one small frame: the handler runs at least
     * one frame above where the error was thrown, and an error thrown at the operation's own first call changed
     * nothing.
     */
    public void failed(Throwable t) {
        if (!(t instanceof InvalidFreeException || t instanceof IllegalArgumentException
                || t instanceof OutOfNativeMemoryError || t instanceof OsException
                || t instanceof AllocatorUnusableException)
                && halt == null) {
            halt = t;
        }
    }

    /**
     * Starts {@code close()}: false if it was started before (close is idempotent). Otherwise every later
     * operation fails with "closed", and the caller then {@link #quiesce}s before releasing memory.
     */
    public synchronized boolean beginClose() {
        if (closing) {
            return false;
        }
        closing = true;
        halt = CLOSED;
        return true;
    }

    /** The operations off a strategy's fast paths, run through {@link #operation}. */
    public interface Body {
        /** Runs operation {@code op} (a code of the strategy's own) with arguments {@code a} and {@code b}. */
        long run(OwnedHeap heap, int op, long a, long b);
    }

    /**
     * Runs {@code body}'s operation {@code op} as one operation of {@code heap}, the calling thread's (see
     * {@link OwnedHeap} for the frame). A body object made with the allocator rather than a lambda per call:
     * a lambda's call site is linked when it first runs, and a link that first runs on an exhausted stack
     * fails for good.
     */
    public long operation(OwnedHeap heap, Body body, int op, long a, long b) {
        int s = heap.enter();
        try {
            if (!usable()) {
                throw unusable();
            }
            long result = body.run(heap, op, a, b);
            heap.exit(s);
            return result;
        } catch (Throwable t) {
            if (s != 0) {
                heap.ops = (heap.ops | 1) + 1;
            }
            failed(t);
            throw t;
        }
    }

    /**
     * After a flag store (closed, a slab shared): returns once no heap of {@code heaps} other than
     * {@code self} is still inside an operation that began before the flag was visible. Heaps of threads
     * that have ended are skipped. The caller must not be inside an operation ({@link #quiesceFrom} is for
     * that).
     */
    public void quiesce(List<? extends OwnedHeap> heaps, OwnedHeap self) {
        fenceEveryThread();
        for (OwnedHeap h : heaps) {
            if (h == self || h.thread == null) {
                continue;
            }
            int v = h.opsAcquire();
            for (int spins = 0; (v & 1) != 0 && h.opsAcquire() == v && h.thread.isAlive(); spins++) {
                if (spins < 1_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }

    /**
     * The rare side's half of an asymmetric Dekker protocol without the wait: after it, every thread that was
     * running has executed a full fence ({@code membarrier}; where that is missing, this is only the caller's own
     * fence, and the owner side must store with an atomic swap itself). For protocols whose owner side marks in the data
     * itself what it is about to do, so that nothing needs to be waited for (mimalloc-like's page free).
     */
    public void fenceEveryThread() {
        if (Os.BARRIER_AVAILABLE) {
            os.barrier();
        } else {
            VarHandle.fullFence();
        }
    }

    /**
     * {@link #quiesce} from inside an operation of {@code self} (a remote free): {@code self} counts as outside
     * while it waits, so two threads that wait for each other do not deadlock, and it fails with
     * {@link AllocatorUnusableException} if the allocator closed meanwhile (its memory may be gone).
     */
    public void quiesceFrom(OwnedHeap self, List<? extends OwnedHeap> heaps) {
        int s = self.pause();
        quiesce(heaps, self);
        self.resume(s);
        if (!usable()) {
            throw unusable();
        }
    }
}
