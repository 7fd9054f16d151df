package dev.slabworks.mimalloc;

import static dev.slabworks.testkit.contract.ThreadExitScenarios.runOnThreadThatEnds;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pins the page invariant of {@link Page} (used + |free| + |localFree| == carved; used counts
 * allocated and remotely freed blocks; |threadFree| == remotely freed blocks) while other threads
 * free into the owner's pages, and the accounting after the owner collects those frees.
 */
class PageInvariantTest {
    private static final Knobs KNOBS = Knobs.defaults().with(Knob.DEBUG_CHECKS, true);

    @Test
    void the_three_lists_and_used_account_for_every_carved_block_under_remote_frees() throws Exception {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(KNOBS)) {
            SplittableRandom rnd = new SplittableRandom(11);
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                blocks.add(a.allocate(rnd.nextLong(0, 4097)));
            }
            List<Long> remote = new ArrayList<>();
            List<Long> local = new ArrayList<>();
            List<Long> kept = new ArrayList<>();
            for (long p : blocks) {
                switch (rnd.nextInt(3)) {
                    case 0 -> remote.add(p);
                    case 1 -> local.add(p);
                    default -> kept.add(p);
                }
            }
            runOnThreadThatEnds(() -> remote.forEach(a::free));
            local.forEach(a::free);

            // remote frees are on threadFree lists, not yet collected: still counted as used
            a.callingHeap().checkInvariants(true);
            assertThat(usedBlocks(a)).isEqualTo(kept.size() + remote.size());
            assertThat(threadFreeBlocks(a)).isEqualTo(remote.size());

            // allocating drives the owner through refills, which collect the remote frees
            List<Long> again = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                again.add(a.allocate(rnd.nextLong(0, 4097)));
            }
            a.callingHeap().checkInvariants(true);
            assertThat(usedBlocks(a) - threadFreeBlocks(a)).isEqualTo(kept.size() + again.size());
            assertThat(a.stats().get(Stat.REMOTE_FREES)).isEqualTo(remote.size());

            kept.forEach(a::free);
            again.forEach(a::free);
            a.callingHeap().checkInvariants(true);
            assertThat(usedBlocks(a)).isEqualTo(threadFreeBlocks(a));
            assertThat(a.stats().get(Stat.LIVE_BYTES)).isZero();
        }
    }

    @Test
    void racing_remote_frees_of_one_block_free_it_exactly_once() throws Exception {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(KNOBS)) {
            int n = 20_000;
            long[] blocks = new long[n];
            for (int i = 0; i < n; i++) {
                blocks[i] = a.allocate(16 + (i % 32) * 16);
            }
            AtomicInteger freed = new AtomicInteger();
            AtomicInteger rejected = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CyclicBarrier start = new CyclicBarrier(2);
            Runnable racer = () -> {
                try {
                    start.await();
                    for (long p : blocks) {
                        try {
                            a.free(p);
                            freed.incrementAndGet();
                        } catch (InvalidFreeException e) {
                            assertThat(e.kind()).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
                            rejected.incrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            };
            Thread t1 = Thread.ofPlatform().start(racer);
            Thread t2 = Thread.ofPlatform().start(racer);
            t1.join();
            t2.join();
            assertThat(failure.get()).isNull();
            assertThat(freed.get()).isEqualTo(n);
            assertThat(rejected.get()).isEqualTo(n);
            a.callingHeap().checkInvariants(true);
            assertThat(threadFreeBlocks(a)).isEqualTo(n);
            for (long p : blocks) {
                assertThatThrownBy(() -> a.free(p)).isInstanceOf(InvalidFreeException.class);
            }
        }
    }

    @Test
    void a_page_emptied_by_its_owner_is_retired_and_its_memory_reused_without_a_new_mapping() {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(KNOBS.with(Knob.PURGE_DELAY_MS, -1))) {
            List<Long> first = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                first.add(a.allocate(1024)); // 2048 blocks a medium page: 3 pages
            }
            first.forEach(a::free);
            assertThat(a.stats().get(Stat.PAGES_RETIRED)).isPositive();
            long mmaps = a.stats().get(Stat.SYSCALL_MMAP);
            for (int i = 0; i < 2_000; i++) {
                a.allocate(2048); // another class of the same page kind takes 2 of the retired or never used pages
            }
            assertThat(a.stats().get(Stat.SYSCALL_MMAP)).isEqualTo(mmaps);
            a.callingHeap().checkInvariants(true);
        }
    }

    private static int usedBlocks(MimallocLikeAllocator a) {
        Heap h = a.callingHeap();
        int[] used = {0};
        a.pool().forEachPage(p -> {
            if (p.owner == h) {
                used[0] += p.used;
            }
        });
        return used[0];
    }

    private static int threadFreeBlocks(MimallocLikeAllocator a) {
        Heap h = a.callingHeap();
        int[] n = {0};
        a.pool().forEachPage(p -> {
            if (p.owner == h) {
                for (int b = 0; b < p.capacity; b++) {
                    if (Page.isRemoteFreed(p.link[b])) {
                        n[0]++;
                    }
                }
            }
        });
        return n[0];
    }

}
