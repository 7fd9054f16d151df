package dev.slabworks.api.heap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Which entry of an allocator's two-entry heap cache a heap whose thread missed both may take. */
@Timeout(30)
class OwnedHeapCacheEntryTest {
    private static final class Heap extends OwnedHeap {
        Heap() {
            super(Thread.currentThread());
        }

        Heap(Thread thread) {
            super(thread);
        }
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void stopThreads() throws InterruptedException {
        stop.set(true);
        for (Thread t : started) {
            t.interrupt();
            t.join();
        }
    }

    /** The heap of a thread that keeps running (spins) until the test ends. */
    private Heap ofRunningThread() throws InterruptedException {
        return ofThread(() -> {
            while (!stop.get()) {
                Thread.onSpinWait();
            }
        });
    }

    /** The heap of a thread that waits until the test ends. */
    private Heap ofWaitingThread() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        Heap h = ofThread(() -> {
            try {
                never.await(); // a spurious wake-up of the park inside waits again
            } catch (InterruptedException e) {
                // the test is over
            }
        });
        while (h.thread.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        return h;
    }

    private Heap ofEndedThread() throws InterruptedException {
        AtomicReference<Heap> heap = new AtomicReference<>();
        Thread t = new Thread(() -> heap.set(new Heap()));
        t.start();
        t.join();
        return heap.get();
    }

    private Heap ofThread(Runnable then) throws InterruptedException {
        AtomicReference<Heap> heap = new AtomicReference<>();
        CountDownLatch made = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            heap.set(new Heap());
            made.countDown();
            then.run();
        });
        started.add(t);
        t.start();
        made.await();
        return heap.get();
    }

    @Test
    void anEmptyEntryIsTakenTheFirstOneFirst() throws InterruptedException {
        Heap running = ofRunningThread();
        assertThat(new Heap().cacheEntryFor(null, null)).isZero();
        assertThat(new Heap().cacheEntryFor(running, null)).isEqualTo(1);
        assertThat(new Heap().cacheEntryFor(null, running)).isZero();
    }

    @Test
    void theEntryOfAnEndedThreadIsTaken() throws InterruptedException {
        Heap running = ofRunningThread();
        Heap ended = ofEndedThread();
        assertThat(new Heap().cacheEntryFor(ended, running)).isZero();
        assertThat(new Heap().cacheEntryFor(running, ended)).isEqualTo(1);
    }

    @Test
    void theEntryOfAWaitingThreadIsTakenBeforeARunningOnes() throws InterruptedException {
        Heap running = ofRunningThread();
        Heap waiting = ofWaitingThread();
        assertThat(new Heap().cacheEntryFor(running, waiting)).isEqualTo(1);
        assertThat(new Heap().cacheEntryFor(waiting, running)).isZero();
    }

    @Test
    void twoRunningThreadsEntriesAreTakenInTurnABoundedNumberOfTimes() throws InterruptedException {
        Heap first = ofRunningThread();
        Heap second = ofRunningThread();
        Heap h = new Heap();
        int[] taken = new int[2];
        int refused = 0;
        for (int i = 0; i < 10 * OwnedHeap.CACHE_TAKES; i++) {
            int e = h.cacheEntryFor(first, second);
            if (e < 0) {
                refused++;
            } else {
                taken[e]++;
            }
        }
        assertThat(taken).containsExactly(OwnedHeap.CACHE_TAKES / 2, OwnedHeap.CACHE_TAKES / 2);
        assertThat(refused).isEqualTo(9 * OwnedHeap.CACHE_TAKES);
        assertThat(new Heap().cacheEntryFor(first, second)).as("the bound is per heap, not shared").isNotNegative();
    }

    @Test
    void pastTheBoundOnlyAnEmptyEntryOrAnEndedThreadsIsTaken() throws InterruptedException {
        Heap running = ofRunningThread();
        Heap waiting = ofWaitingThread();
        Heap ended = ofEndedThread();
        Heap h = new Heap();
        for (int i = 0; i < OwnedHeap.CACHE_TAKES; i++) {
            assertThat(h.cacheEntryFor(running, waiting)).as("the waiting thread's, every time").isEqualTo(1);
        }
        assertThat(h.cacheEntryFor(running, waiting)).as("a waiting thread's, past the bound").isEqualTo(-1);
        assertThat(h.cacheEntryFor(running, ended)).isEqualTo(1);
        assertThat(h.cacheEntryFor(null, running)).isZero();
        assertThat(h.cacheEntryFor(running, new Heap(null))).as("a placeholder").isEqualTo(1);
    }

    @Test
    void aThreadFindsItsOwnHeapInEitherEntryAndNoOtherThreads() throws InterruptedException {
        Heap mine = new Heap();
        Heap other = ofEndedThread();
        Thread me = Thread.currentThread();
        Object[] found = {
            OwnedHeap.cachedFor(mine, other, me), OwnedHeap.cachedFor(other, mine, me),
            OwnedHeap.cachedFor(null, mine, me), OwnedHeap.cachedFor(other, null, me),
            OwnedHeap.cachedFor(null, null, me)
        };
        assertThat(found).containsExactly(mine, mine, mine, null, null);
    }

    @Test
    void aHeapAlreadyInTheCacheTakesNothing() throws InterruptedException {
        Heap h = new Heap();
        assertThat(h.cacheEntryFor(h, null)).isEqualTo(-1);
        assertThat(h.cacheEntryFor(ofEndedThread(), h)).isEqualTo(-1);
    }
}
