package dev.slabworks.api;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class PerThreadTest {
    @Test
    void two_live_threads_whose_ids_share_a_slot_each_get_their_own_value_every_time() throws Exception {
        PerThread<Thread> owner = new PerThread<>(Thread::currentThread);
        Thread me = Thread.currentThread();
        assertThat(owner.get()).isSameAs(me); // this thread takes the slot
        AtomicInteger wrong = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch mine = new CountDownLatch(1);
        Runnable body = () -> {
            for (int i = 0; i < 1000; i++) {
                if (owner.get() != Thread.currentThread()) {
                    wrong.incrementAndGet();
                }
                if (i == 0) {
                    started.countDown();
                    await(mine); // holds on while the first thread asks again
                }
            }
        };
        Thread twin = null;
        for (int i = 0; i < 4 * PerThread.SLOTS && twin == null; i++) { // ids are handed out in sequence
            Thread t = Thread.ofPlatform().unstarted(body);
            if ((t.threadId() - me.threadId()) % PerThread.SLOTS == 0) {
                twin = t;
            }
        }
        assertThat(twin).as("a thread whose id collides with this one's").isNotNull();

        twin.start();
        started.await();
        for (int i = 0; i < 1000; i++) {
            assertThat(owner.get()).isSameAs(me);
        }
        mine.countDown();
        twin.join();
        assertThat(wrong).hasValue(0);
        assertThat(owner.get()).isSameAs(me);
    }

    @Test
    void a_value_goes_with_its_table_while_the_thread_that_asked_for_it_lives_on() throws Exception {
        ExecutorService longLived = Executors.newSingleThreadExecutor();
        try {
            // the table is made, asked and dropped on the long-lived thread, as a closed allocator's heaps are
            WeakReference<Object> value = longLived.submit(() -> new WeakReference<>(new PerThread<>(Object::new).get())).get();
            for (int i = 0; i < 100 && value.get() != null; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertThat(value.get()).as("the value of a table nobody references").isNull();
            assertThat(longLived.submit(() -> "alive").get()).isEqualTo("alive");
        } finally {
            longLived.shutdown();
        }
    }

    @Test
    void entries_of_threads_that_ended_are_swept_without_being_forgotten() throws Exception {
        PerThread<Thread> table = new PerThread<>(Thread::currentThread);
        for (int i = 0; i < 3 * PerThread.SWEEP_EVERY; i++) {
            Thread t = Thread.ofPlatform().start(table::get);
            t.join();
        }
        assertThat(table.threadsHeld()).as("entries left after %d ended threads", 3 * PerThread.SWEEP_EVERY)
                .isLessThanOrEqualTo(PerThread.SWEEP_EVERY);
    }

    @Test
    void a_forgotten_thread_holds_no_entry() throws Exception {
        PerThread<Thread> table = new PerThread<>(Thread::currentThread);
        Thread t = Thread.ofPlatform().start(table::get);
        t.join();
        assertThat(table.threadsHeld()).isEqualTo(1);
        table.forget(t);
        assertThat(table.threadsHeld()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
