package dev.slabworks.harness.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandOffRingTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 1024})
    void it_is_a_fifo_that_holds_exactly_its_capacity_whatever_the_interleaving(int capacity) {
        HandOffRing ring = new HandOffRing(capacity);
        ArrayDeque<Long> model = new ArrayDeque<>();
        SplittableRandom rnd = new SplittableRandom(capacity);
        long next = 1;
        for (int step = 0; step < 100_000; step++) {
            if (rnd.nextBoolean()) {
                boolean taken = ring.offer(next);
                assertThat(taken).as("offer with %d of %d held", model.size(), capacity).isEqualTo(model.size() < capacity);
                if (taken) {
                    model.addLast(next++);
                }
            } else {
                long got = ring.poll();
                assertThat(got).isEqualTo(model.isEmpty() ? 0 : model.removeFirst());
            }
        }
    }

    @Test
    void zero_cannot_be_offered_since_it_marks_a_free_slot() {
        assertThatThrownBy(() -> new HandOffRing(4).offer(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(60)
    void a_consumer_thread_gets_every_address_once_and_in_order() throws Exception {
        HandOffRing ring = new HandOffRing(64);
        long n = 2_000_000;
        Thread producer = Thread.ofPlatform().start(() -> {
            for (long v = 1; v <= n; v++) {
                while (!ring.offer(v)) {
                    Thread.onSpinWait();
                }
            }
        });
        long expected = 1;
        while (expected <= n) {
            long v = ring.poll();
            if (v != 0) {
                assertThat(v).isEqualTo(expected);
                expected++;
            }
        }
        producer.join();
        assertThat(ring.poll()).isZero();
    }
}
