package dev.slabworks.api.heap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slabworks.api.PerThread;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadHeapRegistryTest {
    record Heap(Thread thread) {
    }

    @Test
    void take_dead_returns_only_heaps_whose_thread_ended_and_each_only_once() throws Exception {
        ThreadHeapRegistry<Heap> registry = new ThreadHeapRegistry<>(Heap::thread);
        Heap live = new Heap(Thread.currentThread());
        registry.register(live);
        Thread ended = Thread.ofPlatform().start(() -> { });
        ended.join();
        Heap dead = new Heap(ended);
        registry.register(dead);

        assertThat(registry.takeDead()).containsExactly(dead);
        assertThat(registry.takeDead()).isEmpty();
        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.reclaimed()).isEqualTo(1);
    }

    @Test
    void a_reclaimed_heap_is_no_longer_kept_by_the_look_up_that_found_it() throws Exception {
        PerThread<Heap> heaps = new PerThread<>(() -> new Heap(Thread.currentThread()));
        ThreadHeapRegistry<Heap> registry = new ThreadHeapRegistry<>(Heap::thread, heaps);
        List<WeakReference<Heap>> made = new ArrayList<>();
        Thread ended = Thread.ofPlatform().start(() -> {
            Heap h = heaps.get();
            registry.register(h);
            made.add(new WeakReference<>(h));
        });
        ended.join();

        assertThat(registry.takeDead()).hasSize(1); // dropped at once: the registry keeps it no longer
        for (int i = 0; i < 50 && made.getFirst().get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(made.getFirst().get()).as("the ended thread's heap, unreachable but for the look-up").isNull();
    }

    @Test
    void scan_is_due_after_a_registration_and_every_scan_every_acquisitions() {
        ThreadHeapRegistry<Heap> registry = new ThreadHeapRegistry<>(Heap::thread);
        registry.register(new Heap(Thread.currentThread()));
        assertThat(registry.scanDue(1)).isTrue();
        registry.takeDead();
        assertThat(registry.scanDue(1)).isFalse();
        assertThat(registry.scanDue(ThreadHeapRegistry.SCAN_EVERY)).isTrue();
        assertThat(registry.scanDue(ThreadHeapRegistry.SCAN_EVERY + 1)).isFalse();
    }

    @Test
    void concurrent_scans_never_hand_the_same_dead_heap_to_two_callers() throws Exception {
        ThreadHeapRegistry<Heap> registry = new ThreadHeapRegistry<>(Heap::thread);
        List<Heap> deadHeaps = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Thread t = Thread.ofPlatform().start(() -> { });
            t.join();
            Heap h = new Heap(t);
            deadHeaps.add(h);
            registry.register(h);
        }
        List<Heap> taken = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> scanners = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            scanners.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int k = 0; k < 10; k++) {
                    taken.addAll(registry.takeDead());
                }
            }));
        }
        go.countDown();
        for (Thread s : scanners) {
            s.join();
        }
        assertThat(taken).containsExactlyInAnyOrderElementsOf(deadHeaps);
        assertThat(registry.size()).isZero();
    }
}
