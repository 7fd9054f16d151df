package dev.slabworks.api.purge;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PurgeDelayTest {
    private static final long MS = 1_000_000L;

    @Test
    void memory_taken_back_within_the_delay_of_its_purge_doubles_the_delay_up_to_the_max() {
        PurgeDelay d = new PurgeDelay(10, 50);
        long t = 1_000 * MS;
        assertThat(d.takenBack(t, t + 9 * MS)).isTrue();
        assertThat(d.nanos()).isEqualTo(20 * MS);
        assertThat(d.takenBack(t + 25 * MS, t + 30 * MS)).isTrue();
        assertThat(d.nanos()).isEqualTo(40 * MS);
        assertThat(d.takenBack(t + 70 * MS, t + 75 * MS)).isTrue();
        assertThat(d.nanos()).as("capped").isEqualTo(50 * MS);
    }

    @Test
    void a_burst_of_take_backs_within_one_delay_doubles_it_once() {
        PurgeDelay d = new PurgeDelay(10, 1000);
        long t = 0;
        for (int page = 1; page <= 150; page++) {
            assertThat(d.takenBack(t, t + page * 10_000L)).as("each is premature").isTrue();
        }
        assertThat(d.nanos()).isEqualTo(20 * MS);
    }

    @Test
    void memory_taken_back_a_delay_or_more_after_its_purge_or_never_purged_changes_nothing() {
        PurgeDelay d = new PurgeDelay(10, 1000);
        long t = -5 * MS; // nanoTime may be negative
        assertThat(d.takenBack(t, t + 10 * MS)).isFalse();
        assertThat(d.takenBack(PurgeDelay.NEVER, t)).as("a fresh mapping").isFalse();
        assertThat(d.nanos()).isEqualTo(10 * MS);
    }

    @Test
    void a_lengthened_delay_halves_back_to_the_base_after_quiet_periods_and_not_before() {
        PurgeDelay d = new PurgeDelay(10, 1000);
        long t = 0;
        d.takenBack(t, t + MS);
        d.takenBack(t + 20 * MS, t + 22 * MS);
        assertThat(d.nanos()).isEqualTo(40 * MS);
        long premature = t + 22 * MS;
        d.relax(premature + PurgeDelay.RELAX_AFTER * 40 * MS - 1);
        assertThat(d.nanos()).as("not yet quiet long enough").isEqualTo(40 * MS);
        long now = premature + PurgeDelay.RELAX_AFTER * 40 * MS;
        d.relax(now);
        assertThat(d.nanos()).isEqualTo(20 * MS);
        d.relax(now + 1);
        assertThat(d.nanos()).as("each halving waits a quiet period at the new delay").isEqualTo(20 * MS);
        now += PurgeDelay.RELAX_AFTER * 20 * MS;
        d.relax(now);
        d.relax(now + PurgeDelay.RELAX_AFTER * 10 * MS);
        assertThat(d.nanos()).as("never below the base").isEqualTo(10 * MS);
    }

    @Test
    void at_once_never_and_a_max_at_the_base_are_fixed() {
        for (long[] baseMax : new long[][] {{0, 1000}, {-1, 1000}, {10, 10}, {10, 5}, {10, -1}}) {
            PurgeDelay d = new PurgeDelay(baseMax[0], baseMax[1]);
            long before = d.nanos();
            d.takenBack(0, 1);
            d.relax(Long.MAX_VALUE / 2);
            assertThat(d.nanos()).as("base %d max %d", baseMax[0], baseMax[1]).isEqualTo(before);
        }
        assertThat(new PurgeDelay(-1, 1000).never()).isTrue();
        assertThatThrownBy(() -> new PurgeDelay(-2, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PurgeDelay(10, PurgeDelay.MAX_MS + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PurgeDelay(-1, 1000).due(0, Long.MAX_VALUE)).isFalse();
    }

    @Test
    void the_delay_stays_between_base_and_max_whatever_happens() {
        SplittableRandom r = new SplittableRandom(42);
        for (int run = 0; run < 200; run++) {
            long base = r.nextLong(1, 100);
            long max = base + r.nextLong(0, 5000);
            PurgeDelay d = new PurgeDelay(base, max);
            long now = r.nextLong(-1L << 40, 1L << 40);
            for (int step = 0; step < 500; step++) {
                now += r.nextLong(0, 200 * MS);
                if (r.nextBoolean()) {
                    d.takenBack(now - r.nextLong(0, 2 * d.nanos() + 1), now);
                } else {
                    d.relax(now);
                }
                assertThat(d.nanos()).isBetween(base * MS, max * MS);
            }
        }
    }
}
