package dev.slabworks.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.testkit.campaign.BlockContents;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * Building blocks for tests of what happens when threads end holding an allocator's memory (heap
 * reclamation, adoption, {@code trim()}), shared by the strategies' thread-exit tests.
 */
public final class ThreadExitScenarios {
    private ThreadExitScenarios() {
    }

    /** A live block, its size and the seed of its contents ({@link BlockContents}). */
    public record FilledBlock(long address, long size, long seed) {
        public boolean intact() {
            return BlockContents.intact(address, size, seed);
        }
    }

    /** {@code perSize} blocks of every size in {@code sizes}, each filled from its own seed. */
    public static List<FilledBlock> allocateFilled(Allocator a, long[] sizes, int perSize, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<FilledBlock> out = new ArrayList<>();
        for (int i = 0; i < perSize; i++) {
            for (long size : sizes) {
                FilledBlock b = new FilledBlock(a.allocate(size), size, rnd.nextLong());
                BlockContents.fill(b.address(), b.size(), b.seed());
                out.add(b);
            }
        }
        return out;
    }

    /** Runs {@code body} on a new platform thread and returns once that thread has ended; its failure is ours. */
    public static void runOnThreadThatEnds(Runnable body) throws InterruptedException {
        onThreadThatEnds(() -> {
            body.run();
            return null;
        });
    }

    /** {@link #runOnThreadThatEnds} with a result. */
    public static <T> T onThreadThatEnds(Callable<T> body) throws InterruptedException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                result.set(body.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        if (failure.get() != null) {
            throw new AssertionError("the thread failed", failure.get());
        }
        return result.get();
    }

    /**
     * {@code threads} threads each allocate {@code perSize} blocks of every size in {@code sizes}, free every
     * other one themselves (local frees) and end; then the calling thread checks the rest intact and frees
     * them (remote frees into the heaps of ended threads).
     */
    public static void threadsEndHandingOverHalf(Allocator a, long[] sizes, int threads, int perSize)
            throws InterruptedException {
        ConcurrentLinkedQueue<FilledBlock> handedOver = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long seed = t;
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    List<FilledBlock> mine = allocateFilled(a, sizes, perSize, seed);
                    for (int i = 0; i < mine.size(); i++) {
                        if (i % 2 == 0) {
                            a.free(mine.get(i).address());
                        } else {
                            handedOver.add(mine.get(i));
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        joinWithoutFailure(started, failure);
        freeIntact(a, handedOver);
    }

    /** Waits for {@code threads}; none of them may have recorded a failure. */
    private static void joinWithoutFailure(List<Thread> threads, AtomicReference<Throwable> failure) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failure.get()).isNull();
    }

    /** Asserts that each of {@code blocks} still holds its pattern, then frees it. */
    private static void freeIntact(Allocator a, Iterable<FilledBlock> blocks) {
        for (FilledBlock b : blocks) {
            assertThat(b.intact()).as("%s", b).isTrue();
            a.free(b.address());
        }
    }

    /**
     * Remote frees race with a change of owner, {@code rounds} times: a thread allocates blocks of
     * {@code sizes} and ends; two freers free its blocks while the calling thread adopts its memory
     * ({@code trim()}) and allocates and frees blocks of its own from it. Asserts that no block was
     * corrupted and no free rejected; the caller then checks that everything came back.
     */
    public static void remoteFreesRaceAnAdoption(Allocator a, long[] sizes, int rounds) throws InterruptedException {
        for (int round = 0; round < rounds; round++) {
            long seed = round;
            List<FilledBlock> blocks = onThreadThatEnds(() -> allocateFilled(a, sizes, 30, seed));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> freers = new ArrayList<>();
            for (int f = 0; f < 2; f++) {
                int first = f;
                freers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = first; i < blocks.size(); i += 2) {
                            if (!blocks.get(i).intact()) {
                                throw new AssertionError("corrupted " + blocks.get(i));
                            }
                            a.free(blocks.get(i).address());
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            a.trim(); // adopts while the freers run
            List<FilledBlock> mine = allocateFilled(a, sizes, 10, seed + 100);
            joinWithoutFailure(freers, failure);
            freeIntact(a, mine);
        }
    }

    /**
     * The large block an ended thread freed last waits in its heap's direct front; reclaiming that heap sends the
     * mapping to the shared cache ({@code cached} reads how many it holds), where the next large allocation of any
     * thread takes it without a new mapping. The reclamation here is the caller's slow path for a size class it never
     * used (a new page or slab from the pool, which reclaims the heaps registered since its last scan first).
     */
    public static void anEndedThreadsDirectMappingGoesToTheCacheWhenItsHeapIsReclaimed(Allocator a, IntSupplier cached)
            throws Exception {
        a.free(a.allocate(64)); // the caller's heap exists before the other one is registered
        onThreadThatEnds(() -> {
            a.free(a.allocate(1 << 20));
            return null;
        });
        assertThat(cached.getAsInt()).as("kept in the ended thread's front").isZero();
        a.free(a.allocate(3000));
        assertThat(cached.getAsInt()).as("given to the cache when its heap was reclaimed").isEqualTo(1);
        long mmaps = a.stats().get(Stat.SYSCALL_MMAP);
        a.free(a.allocate(1 << 20));
        assertThat(a.stats().get(Stat.SYSCALL_MMAP)).isEqualTo(mmaps);
    }

    /**
     * Threads that come and go leave their counts in the stats but not a counter row each: {@code threads}
     * threads one after another allocate {@code blocks} blocks, free half, and end; the calling thread's
     * {@code trim()} reclaims their heaps (and, between them, the allocations' own scans may). Afterwards the
     * stats keep at most as many rows as before plus the caller's, and count every allocation and free.
     * {@code rows} reads the allocator's row count.
     */
    public static void endedThreadsLeaveTheirCountsButNoRow(Allocator a, IntSupplier rows, int threads, int blocks)
            throws InterruptedException {
        long allocationsBefore = a.stats().get(Stat.ALLOCATIONS);
        long freesBefore = a.stats().get(Stat.FREES);
        int rowsBefore = rows.getAsInt();
        List<Long> kept = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            kept.addAll(onThreadThatEnds(() -> {
                List<Long> mine = new ArrayList<>();
                for (int i = 0; i < blocks; i++) {
                    long p = a.allocate(16 + 8 * (i % 64));
                    if (i % 2 == 0) {
                        a.free(p);
                    } else {
                        mine.add(p);
                    }
                }
                return mine;
            }));
        }
        a.trim();
        assertThat(rows.getAsInt()).as("rows after %d threads ended", threads).isLessThanOrEqualTo(rowsBefore + 1);
        assertThat(a.stats().get(Stat.ALLOCATIONS) - allocationsBefore).isEqualTo((long) threads * blocks);
        assertThat(a.stats().get(Stat.FREES) - freesBefore).isEqualTo((long) threads * ((blocks + 1) / 2));
        for (long p : kept) {
            a.free(p);
        }
        assertThat(a.stats().get(Stat.FREES) - freesBefore).isEqualTo((long) threads * blocks);
    }
}
