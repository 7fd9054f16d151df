package dev.slabworks.api.direct;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static dev.slabworks.api.direct.DirectFixture.GRANULE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pins {@link DirectFront}: a thread's freed direct mapping waits in its own front for its next large allocation,
 * outside the shared cache; it stays a freed block there; and trim, the end of its thread and close give it back.
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
            AtomicReference<DirectFront> ended = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                DirectFront front = f.direct.newFront();
                f.free(f.direct.allocate(200_000, f.local, front), front);
                ended.set(front);
            });
            t.join();
            Object gate = new Object();
            AtomicReference<DirectFront> live = new AtomicReference<>();
            Thread idle = Thread.ofPlatform().start(() -> {
                DirectFront front = f.direct.newFront();
                f.free(f.direct.allocate(300_000, f.local, front), front);
                synchronized (gate) {
                    live.set(front);
                    gate.notifyAll();
                    try {
                        gate.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            synchronized (gate) {
                while (live.get() == null) {
                    gate.wait();
                }
                long munmaps = f.munmaps();
                assertThat(f.direct.trim(mine)).isEqualTo(2);
                assertThat(f.munmaps() - munmaps).isEqualTo(2);
                assertThat(mine.held()).isNull();
                assertThat(ended.get().held()).isNull();
                assertThat(live.get().held()).as("an idle live thread keeps its own").isNotNull();
                gate.notifyAll();
            }
            idle.join();
        }
    }

    @Test
    void the_fronts_of_ended_threads_go_back_to_the_cache_as_new_fronts_are_made() throws Exception {
        try (DirectFixture f = new DirectFixture(16, 64 * MIB, 4 * MIB)) {
            for (int i = 0; i < 8; i++) {
                Thread t = Thread.ofPlatform().start(() -> {
                    DirectFront front = f.direct.newFront();
                    f.free(f.direct.allocate(100_000, f.local, front), front);
                });
                t.join();
            }
            // seven mappings: the eighth front swept the first seven into the cache, and its thread took one back
            assertThat(f.mmaps()).isEqualTo(7);
            assertThat(f.direct.cachedCount()).isEqualTo(6);
            f.direct.trim();
            assertThat(f.direct.cachedCount()).isZero();
            assertThat(f.munmaps()).as("the cache's six and the eighth thread's front").isEqualTo(7);
        }
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
