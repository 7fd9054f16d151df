package dev.slabworks.api.direct;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static dev.slabworks.api.direct.DirectFixture.GRANULE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pins {@link DirectFront}: a thread's freed direct mapping waits in its own front for its next large allocation,
 * outside the shared cache; it stays a freed block there; and trim, the reclamation of its ended thread's heap and close
 * give it back.
 */
class DirectFrontTest {
    private static final long MIB = 1 << 20;

    @Test
    void a_freed_mapping_waits_in_the_callers_front_and_its_next_allocate_takes_it_without_the_cache() {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB, 4 * MIB)) {
            DirectFront front = f.direct.newFront();
            long p = f.direct.allocate(100_000, f.local, front);
            DirectRegion region = f.regions.lookup(p);
            f.free(p, front);
            assertThat(front.held()).isSameAs(region);
            assertThat(f.direct.cachedCount()).as("the shared cache").isZero();
            long mmaps = f.mmaps();

            long q = f.direct.allocate(100_000, f.local, front);

            assertThat(q).isEqualTo(p);
            assertThat(region.isLive()).isTrue();
            assertThat(front.held()).isNull();
            assertThat(f.mmaps()).isEqualTo(mmaps);
            assertThat(f.munmaps()).isZero();
            if (Stats.ENABLED) {
                assertThat(f.local.get(Stat.DIRECT_CACHE_HITS)).isEqualTo(1);
            }
            f.free(q, front);
        }
    }

    @Test
    void a_second_free_sends_the_mapping_the_front_held_to_the_shared_cache() {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB, 4 * MIB)) {
            DirectFront front = f.direct.newFront();
            long a = f.direct.allocate(100_000, f.local, front);
            long b = f.direct.allocate(300_000, f.local, front);
            f.free(a, front);
            f.free(b, front);
            assertThat(front.held()).isSameAs(f.regions.lookup(b));
            assertThat(f.direct.cachedCount()).isEqualTo(1);
            assertThat(f.direct.allocate(100_000, f.local, front)).as("from the cache").isEqualTo(a);
            assertThat(front.held()).as("a request it does not fit leaves it").isSameAs(f.regions.lookup(b));
        }
    }

    @Test
    void a_mapping_above_the_fronts_bound_goes_to_the_cache_and_a_disabled_cache_makes_no_fronts() {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB, GRANULE)) {
            DirectFront front = f.direct.newFront();
            long p = f.direct.allocate(2 * GRANULE, f.local, front);
            f.free(p, front);
            assertThat(front.held()).isNull();
            assertThat(f.direct.cachedCount()).isEqualTo(1);
        }
        try (DirectFixture f = new DirectFixture(0, 0, 4 * MIB)) {
            assertThat(f.direct.newFront()).isNull();
        }
    }

    @Test
    void a_block_its_front_holds_is_freed_so_a_second_free_of_it_is_a_double_free() {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB, 4 * MIB)) {
            DirectFront front = f.direct.newFront();
            long p = f.direct.allocate(100_000, f.local, front);
            f.free(p, front);
            assertThatThrownBy(() -> f.free(p, front)).isInstanceOfSatisfying(InvalidFreeException.class,
                    e -> assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE));
            assertThatThrownBy(() -> f.free(p)).isInstanceOf(InvalidFreeException.class);
            assertThatThrownBy(() -> f.usableSize(p)).isInstanceOf(InvalidFreeException.class);
            assertThat(front.held()).isSameAs(f.regions.lookup(p));
        }
    }

    @Test
    void trim_unmaps_the_callers_front_and_those_of_ended_threads_but_not_another_live_threads() throws Exception {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB, 4 * MIB)) {
            DirectFront mine = f.direct.newFront();
            f.free(f.direct.allocate(100_000, f.local, mine), mine);
            DirectFront ended = frontOfEndedThread(f, 200_000);
            AtomicReference<DirectFront> live = new AtomicReference<>();
            CountDownLatch parked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread idle = Thread.ofPlatform().start(() -> {
                DirectFront front = f.direct.newFront();
                f.free(f.direct.allocate(300_000, f.local, front), front);
                live.set(front);
                parked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            parked.await();
            long munmaps = f.munmaps();
            assertThat(f.direct.trim(mine)).isEqualTo(2);
            assertThat(f.munmaps() - munmaps).isEqualTo(2);
            assertThat(mine.held()).isNull();
            assertThat(ended.held()).isNull();
            assertThat(live.get().held()).as("an idle live thread keeps its own").isNotNull();
            release.countDown();
            idle.join();
        }
    }

    @Test
    void giving_back_an_ended_threads_front_puts_its_mapping_in_the_cache_once() throws Exception {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB, 4 * MIB)) {
            DirectFront ended = frontOfEndedThread(f, 100_000);
            DirectFront.giveBack(ended);
            DirectFront.giveBack(ended); // a second reclaimer, or a trim after it, finds nothing
            DirectFront.giveBack(null); // a heap without a front
            assertThat(f.direct.cachedCount()).isEqualTo(1);
            assertThat(f.direct.trim()).as("the cache's one; the front is empty").isEqualTo(1);
            assertThat(f.munmaps()).isEqualTo(1);
        }
    }

    @Test
    void new_fronts_forget_ended_threads_empty_fronts_but_not_one_that_still_holds_a_mapping() throws Exception {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB, 4 * MIB)) {
            DirectFront holding = frontOfEndedThread(f, 100_000);
            for (int i = 0; i < 6; i++) {
                Thread t = Thread.ofPlatform().start(f.direct::newFront);
                t.join();
            }
            assertThat(f.direct.frontCount()).isEqualTo(7);
            f.direct.newFront(); // the eighth: the list is pruned when it reaches eight
            assertThat(f.direct.frontCount()).as("the one that holds a mapping, and the new one").isEqualTo(2);
            assertThat(holding.held()).isNotNull();
            assertThat(f.direct.trim()).isEqualTo(1);
            assertThat(f.munmaps()).isEqualTo(1);
        }
    }

    @Test
    void threads_that_only_allocate_large_blocks_reuse_what_ended_ones_kept_instead_of_mapping_more() throws Exception {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB, 4 * MIB)) {
            for (int i = 0; i < 20; i++) {
                frontOfEndedThread(f, 1 << 20); // its miss sends the previous thread's mapping to the cache first
            }
            assertThat(f.mmaps()).as("one mapping, handed from each ended thread to the next").isEqualTo(1);
        }
    }

    /** A thread that makes a front, frees a block of {@code size} into it and ends: its front. */
    private static DirectFront frontOfEndedThread(DirectFixture f, long size) throws InterruptedException {
        AtomicReference<DirectFront> front = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            DirectFront mine = f.direct.newFront();
            f.free(f.direct.allocate(size, f.local, mine), mine);
            front.set(mine);
        });
        t.join();
        return front.get();
    }

    @Test
    void close_unmaps_what_the_fronts_hold() {
        DirectFixture f = new DirectFixture(16, 64 * MIB, 4 * MIB);
        DirectFront front = f.direct.newFront();
        f.free(f.direct.allocate(100_000, f.local, front), front);
        f.close();
        assertThat(f.munmaps()).isEqualTo(1);
        assertThat(f.os.mappedBytes()).isZero();
    }
}
