package dev.slabworks.api;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
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

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
