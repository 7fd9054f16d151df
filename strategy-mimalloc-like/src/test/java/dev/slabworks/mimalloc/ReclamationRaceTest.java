package dev.slabworks.mimalloc;

import dev.slabworks.testkit.campaign.BlockContents;
import dev.slabworks.testkit.campaign.StressRunner;
import dev.slabworks.testkit.campaign.StressRunner.Report;
import dev.slabworks.testkit.campaign.StressRunner.Settings;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remote frees racing with the hand-over of an ended thread's pages lose nothing: every block freed
 * while another thread reclaims (in {@code trim()}, and on its allocation slow path) is collected by
 * someone, so at the end every page is empty and, with an LRU of 0, every segment is unmapped.
 */
class ReclamationRaceTest {
    private static final Knobs NO_LRU = Knobs.defaults().with(Knob.SS_LRU_SIZE, 0);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void remote_frees_racing_with_reclamation_lose_nothing(long seed) throws Exception {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(NO_LRU)) {
            SplittableRandom rnd = new SplittableRandom(seed);
            List<long[]> blocks = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch allocated = new CountDownLatch(1);
            CountDownLatch mayEnd = new CountDownLatch(1);
            Thread owner = Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                for (int i = 0; i < 30_000; i++) {
                    long size = r.nextLong(1, 2049);
                    long p = a.allocate(size);
                    long contents = r.nextLong();
                    BlockContents.fill(p, size, contents);
                    blocks.add(new long[] {p, size, contents});
                }
                allocated.countDown();
                awaitQuietly(mayEnd);
            });
            allocated.await();
            List<long[]> shuffled = new ArrayList<>(blocks);
            Collections.shuffle(shuffled, new java.util.Random(rnd.nextLong()));
            ConcurrentLinkedQueue<long[]> toFree = new ConcurrentLinkedQueue<>(shuffled);
            AtomicBoolean corrupted = new AtomicBoolean();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> freers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                freers.add(Thread.ofPlatform().start(() -> {
                    awaitQuietly(go);
                    long[] b;
                    while ((b = toFree.poll()) != null) {
                        if (!BlockContents.intact(b[0], b[1], b[2])) {
                            corrupted.set(true);
                        }
                        a.free(b[0]);
                    }
                }));
            }
            // a thread that keeps allocating and freeing: its slow path reclaims dead heaps too
            AtomicBoolean stop = new AtomicBoolean();
            Thread churner = Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(seed + 100);
                long[] mine = new long[256];
                while (!stop.get()) {
                    int i = r.nextInt(mine.length);
                    if (mine[i] != 0) {
                        a.free(mine[i]);
                        mine[i] = 0;
                    } else {
                        mine[i] = a.allocate(r.nextLong(1, 2049));
                    }
                }
                for (long p : mine) {
                    if (p != 0) {
                        a.free(p);
                    }
                }
            });
            mayEnd.countDown();
            owner.join(); // the owner has ended: its heap is up for reclamation while the frees run
            go.countDown();
            while (!toFree.isEmpty()) {
                a.trim(); // reclaims (if the churner has not) and collects, racing the freers
                Thread.onSpinWait();
            }
            for (Thread f : freers) {
                f.join();
            }
            stop.set(true);
            churner.join();

            a.trim();

            StatsSnapshot s = a.stats();
            assertThat(corrupted).isFalse();
            assertThat(s.invalidFrees()).isZero();
            assertThat(s.get(Stat.FREES)).isEqualTo(s.get(Stat.ALLOCATIONS));
            assertThat(s.get(Stat.LIVE_BYTES)).isZero();
            assertThat(a.heapRegistry().reclaimed()).isEqualTo(4);
            int[] usedPages = new int[1];
            a.pool().forEachPage(p -> usedPages[0] += p.owner != null ? 1 : 0);
            assertThat(usedPages[0]).as("pages still owned").isZero();
            assertThat(a.pool().segmentCount()).isZero();
            assertThat(s.get(Stat.MAPPED_BYTES)).isZero();
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 8})
    void the_harness_stress_loses_nothing_and_trim_returns_to_the_floor(int threads) {
        Report r = StressRunner.run(new MimallocLikeFactory(), Knobs.defaults(), Settings.of(threads, 4_000));

        assertThat(r.failures()).isEmpty();
        assertThat(r.freed()).isEqualTo(r.allocated());
        assertThat(r.mappedAfterFree()).isLessThanOrEqualTo(r.retainedFloor());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
