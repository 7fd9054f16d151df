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
        Thread twin = collidingWithThisThread(body);

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

    @Test
    void a_sweep_spares_live_threads_and_each_thread_gets_one_value() throws Exception {
        AtomicInteger made = new AtomicInteger();
        PerThread<Object> table = new PerThread<>(() -> {
            made.incrementAndGet();
            return new Object();
        });
        Object mine = table.get(); // this thread takes its slot
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch swept = new CountDownLatch(1);
        Object[] seen = new Object[2];
        Thread twin = collidingWithThisThread(() -> { // finds its value in the map, its slot being this thread's
            seen[0] = table.get();
            asked.countDown();
            await(swept);
            seen[1] = table.get();
        });
        twin.start();
        asked.await();
        int ended = 2 * PerThread.SWEEP_EVERY; // at least one sweep while both live threads hold entries
        for (int i = 0; i < ended; i++) {
            Thread t = Thread.ofPlatform().start(table::get);
            t.join();
        }
        swept.countDown();
        twin.join();
        assertThat(table.get()).isSameAs(mine);
        assertThat(seen[1]).as("the twin's value after the sweeps").isSameAs(seen[0]);
        assertThat(made).as("values made: one per thread").hasValue(ended + 2);
    }

    @Test
    void with_many_live_threads_a_sweep_waits_for_as_many_new_ones() throws Exception {
        PerThread<Object> table = new PerThread<>(Object::new);
        int live = 4 * PerThread.SWEEP_EVERY;
        CountDownLatch asked = new CountDownLatch(live);
        CountDownLatch release = new CountDownLatch(1);
        Thread[] parked = new Thread[live];
        for (int i = 0; i < live; i++) {
            parked[i] = Thread.ofPlatform().start(() -> {
                table.get();
                asked.countDown();
                await(release);
            });
        }
        asked.await();
        int before = table.sweeps();
        int ended = 2 * live;
        for (int i = 0; i < ended; i++) {
            Thread t = Thread.ofPlatform().start(table::get);
            t.join();
        }
        int swept = table.sweeps() - before;
        release.countDown();
        for (Thread t : parked) {
            t.join();
        }
        // a sweep visits every entry: once per SWEEP_EVERY new threads it would cost each new thread live / 64 visits
        assertThat(swept).as("sweeps while %d threads lived and %d came and went", live, ended)
                .isBetween(1, ended / live + 1);
        assertThat(table.threadsHeld()).as("entries left").isLessThanOrEqualTo(2 * live + 1);
    }

    /** An unstarted thread running {@code body} whose id shares the calling thread's slot. */
    private static Thread collidingWithThisThread(Runnable body) {
        long me = Thread.currentThread().threadId();
        for (int i = 0; i < 4 * PerThread.SLOTS; i++) { // ids are handed out in sequence
            Thread t = Thread.ofPlatform().unstarted(body);
            if ((t.threadId() - me) % PerThread.SLOTS == 0) {
                return t;
            }
        }
        throw new AssertionError("no thread id collides with this one's");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
