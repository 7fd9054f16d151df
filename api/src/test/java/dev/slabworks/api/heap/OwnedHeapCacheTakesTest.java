package dev.slabworks.api.heap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OwnedHeapCacheTakesTest {
    private static final class Heap extends OwnedHeap {
        Heap() {
            super(Thread.currentThread());
        }
    }

    @Test
    void aHeapMayTakeItsAllocatorsLastHeapCacheOnlyABoundedNumberOfTimes() {
        Heap h = new Heap();
        Heap live = new Heap(); // the current thread's: alive
        int granted = 0;
        for (int i = 0; i < 10 * OwnedHeap.CACHE_TAKES; i++) {
            if (h.mayTakeCache(live)) {
                granted++;
            }
        }
        assertThat(granted).isEqualTo(OwnedHeap.CACHE_TAKES);
        assertThat(new Heap().mayTakeCache(live)).as("the bound is per heap, not shared").isTrue();
    }

    @Test
    void aHeapPastItsBoundStillTakesTheCacheFromAnEndedThreadOrAnEmptyOne() throws Exception {
        Heap h = new Heap();
        Heap live = new Heap();
        while (h.mayTakeCache(live)) {
            // use up the bound
        }
        Heap[] ofEnded = new Heap[1];
        Thread t = new Thread(() -> ofEnded[0] = new Heap());
        t.start();
        t.join();
        assertThat(h.mayTakeCache(ofEnded[0])).isTrue();
        assertThat(h.mayTakeCache(null)).isTrue();
        assertThat(h.mayTakeCache(live)).isFalse();
    }
}
