package dev.slabworks.testkit.campaign;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Bytes;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.StatsSnapshot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Multi-thread stress of one allocator ({@code ./slabworks stress}): {@code threads} threads each allocate
 * {@code blocksPerThread} blocks, fill every byte from a per-block seed ({@link BlockContents}) and
 * hand each block to a random thread (itself included, so some frees are local), which verifies the
 * whole block and frees it. A thread that has produced its share keeps draining its inbox until every
 * block of every thread is freed.
 *
 * <p>Assumptions and guarantees of the runner itself: a block is in exactly one inbox between its
 * allocation and its free; the global live set is updated before the free (never after), so a racing
 * re-allocation of the same address is not mistaken for a duplicate; {@code outstanding} bounds the
 * memory in flight. Checked at the end: nothing lost (freed == allocated), nothing corrupted, no live
 * block handed out twice, no exception, the stats table agrees ({@code allocations - frees == 0},
 * live bytes 0, no invalid free counted), mapped bytes back under the floor
 * ({@link Settings#retainedFloor}), and {@code close()} unmapping everything.
 */
public final class StressRunner {
    /** The knobs of a run. */
    public record Settings(int threads, int blocksPerThread, int maxOutstanding, long seed) {
        public Settings {
            if (threads < 1 || blocksPerThread < 0 || maxOutstanding < 1) {
                throw new IllegalArgumentException("threads >= 1, blocks >= 0, outstanding >= 1: " + this);
            }
        }

        public static Settings of(int threads, int blocksPerThread) {
            return new Settings(threads, blocksPerThread, 4096, 0x5EED);
        }

        /**
         * Mapped bytes an allocator may keep once every block is freed: what it had mapped when new
         * (prewarm) plus a full LRU of the largest unit a strategy caches: a SuperSlab, or a mimalloc-like
         * segment when the strategy declares a {@code segment.size}.
         */
        public static long retainedFloor(AllocatorFactory factory, Knobs knobs, long mappedAtStart) {
            long unit = knobs.longValue(Knob.SS_SIZE);
            for (Knob k : factory.knobs()) {
                if (k.key().equals("segment.size")) {
                    unit = Math.max(unit, knobs.longValue(k));
                }
            }
            return mappedAtStart + knobs.longValue(Knob.SS_LRU_SIZE) * unit;
        }
    }

    /** What a run saw; {@code failures} is empty when the allocator passed. */
    public record Report(String strategy, int threads, long allocated, long freed, long handedToOtherThreads,
                         long corrupted, long duplicates, long exceptions, long mappedAtStart, long mappedPeak,
                         long mappedAfterFree, long retainedFloor, double seconds, List<String> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    private static final int MAX_FAILURE_LINES = 20;

    private final Allocator allocator;
    private final Settings settings;
    private final List<ConcurrentLinkedQueue<long[]>> inboxes = new ArrayList<>();
    private final Set<Long> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong freed = new AtomicLong();
    private final AtomicLong handed = new AtomicLong();
    private final AtomicLong corrupted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong exceptions = new AtomicLong();
    private final AtomicInteger producersDone = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    private StressRunner(Allocator allocator, Settings settings) {
        this.allocator = allocator;
        this.settings = settings;
        for (int t = 0; t < settings.threads(); t++) {
            inboxes.add(new ConcurrentLinkedQueue<>());
        }
    }

    public static Report run(AllocatorFactory factory, Knobs knobs, Settings settings) {
        long t0 = System.nanoTime();
        Allocator a = factory.create(knobs);
        StressRunner r = new StressRunner(a, settings);
        long mappedAtStart = a.stats().get(Stat.MAPPED_BYTES);
        long floor = Settings.retainedFloor(factory, knobs, mappedAtStart);
        long mappedAfterFree = -1;
        long mappedPeak = -1;
        try {
            r.runThreads();
            r.drainEverything();
            a.trim(); // every worker has ended: what their heaps held is the allocator's to give back
            StatsSnapshot s = a.stats();
            mappedAfterFree = s.get(Stat.MAPPED_BYTES);
            mappedPeak = s.get(Stat.MAPPED_BYTES_PEAK);
            r.checkStats(s, floor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.fail("interrupted");
        } catch (RuntimeException | Error e) {
            r.fail("stress stopped by " + e);
        } finally {
            a.close();
        }
        StatsSnapshot closed = a.stats();
        if (closed.get(Stat.MAPPED_BYTES) != 0 || closed.get(Stat.MAPPINGS_LIVE) != 0
                || closed.get(Stat.SYSCALL_MMAP) != closed.get(Stat.SYSCALL_MUNMAP)) {
            r.fail("close() left " + Bytes.format(closed.get(Stat.MAPPED_BYTES)) + " in " + closed.get(Stat.MAPPINGS_LIVE)
                    + " mappings (mmap " + closed.get(Stat.SYSCALL_MMAP) + ", munmap " + closed.get(Stat.SYSCALL_MUNMAP) + ")");
        }
        return new Report(factory.name(), settings.threads(), r.allocated.get(), r.freed.get(), r.handed.get(),
                r.corrupted.get(), r.duplicates.get(), r.exceptions.get(), mappedAtStart, mappedPeak, mappedAfterFree,
                floor, (System.nanoTime() - t0) / 1e9, List.copyOf(r.failures));
    }

    private void runThreads() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < settings.threads(); t++) {
            int id = t;
            threads.add(Thread.ofPlatform().name("stress-" + t).start(() -> worker(id)));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void worker(int id) {
        SplittableRandom rnd = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + id);
        ConcurrentLinkedQueue<long[]> inbox = inboxes.get(id);
        try {
            for (int i = 0; i < settings.blocksPerThread() && !stop.get(); i++) {
                while (outstanding.get() >= settings.maxOutstanding() && !stop.get()) {
                    if (!drain(inbox)) {
                        Thread.yield();
                    }
                }
                long size = randomSize(rnd);
                long p = allocator.allocate(size);
                long seed = rnd.nextLong();
                allocated.incrementAndGet();
                if (!live.add(p)) {
                    duplicates.incrementAndGet();
                    fail("allocate(" + size + ") returned 0x" + Long.toHexString(p) + ", a block that is still live");
                }
                BlockContents.fill(p, size, seed);
                outstanding.incrementAndGet();
                int dest = rnd.nextInt(settings.threads());
                if (dest != id) {
                    handed.incrementAndGet();
                }
                inboxes.get(dest).add(new long[] {p, size, seed});
                if ((i & 15) == 0) {
                    drain(inbox);
                }
            }
        } catch (RuntimeException | Error e) {
            exceptions.incrementAndGet();
            fail("thread " + id + " stopped by " + e);
            stop.set(true);
        } finally {
            producersDone.incrementAndGet();
        }
        try {
            while (!stop.get() && (producersDone.get() < settings.threads() || outstanding.get() > 0)) {
                if (!drain(inbox)) {
                    Thread.yield();
                }
            }
        } catch (RuntimeException | Error e) {
            exceptions.incrementAndGet();
            fail("thread " + id + " stopped by " + e);
            stop.set(true);
        }
    }

    /** Verifies and frees everything in {@code inbox}; true if there was anything. */
    private boolean drain(ConcurrentLinkedQueue<long[]> inbox) {
        boolean any = false;
        long[] b;
        while ((b = inbox.poll()) != null) {
            any = true;
            verifyAndFree(b);
        }
        return any;
    }

    private void verifyAndFree(long[] b) {
        long bad = BlockContents.firstMismatch(b[0], b[1], b[2]);
        if (bad >= 0) {
            corrupted.incrementAndGet();
            fail("block 0x" + Long.toHexString(b[0]) + " (" + b[1] + " bytes) corrupted at byte " + bad);
        }
        live.remove(b[0]);
        try {
            allocator.free(b[0]);
            freed.incrementAndGet();
        } finally {
            outstanding.decrementAndGet();
        }
    }

    /** After a stop, blocks may still sit in inboxes: free them so the allocator's state is complete. */
    private void drainEverything() {
        for (ConcurrentLinkedQueue<long[]> inbox : inboxes) {
            long[] b;
            while ((b = inbox.poll()) != null) {
                try {
                    verifyAndFree(b);
                } catch (RuntimeException e) {
                    exceptions.incrementAndGet();
                    fail("free while cleaning up: " + e);
                }
            }
        }
    }

    private void checkStats(StatsSnapshot s, long floor) {
        if (freed.get() != allocated.get()) {
            fail("lost blocks: " + allocated.get() + " allocated, " + freed.get() + " freed");
        }
        if (Stats.ENABLED) {
            if (s.get(Stat.ALLOCATIONS) != allocated.get() || s.get(Stat.FREES) != freed.get()) {
                fail("stats say " + s.get(Stat.ALLOCATIONS) + " allocations and " + s.get(Stat.FREES)
                        + " frees; the runner made " + allocated.get() + " and " + freed.get());
            }
            if (s.get(Stat.ALLOCATIONS) - s.get(Stat.FREES) != live.size()) {
                fail("allocations - frees = " + (s.get(Stat.ALLOCATIONS) - s.get(Stat.FREES)) + ", live blocks = " + live.size());
            }
            if (s.get(Stat.LIVE_BYTES) != 0) {
                fail("live bytes " + Bytes.format(s.get(Stat.LIVE_BYTES)) + " with every block freed");
            }
            if (s.invalidFrees() != 0) {
                fail(s.invalidFrees() + " invalid frees counted, none were made");
            }
            if (s.get(Stat.REMOTE_FREES) > s.get(Stat.FREES)) {
                fail("remote frees " + s.get(Stat.REMOTE_FREES) + " > frees " + s.get(Stat.FREES));
            }
        }
        if (s.get(Stat.MAPPED_BYTES) > floor) {
            fail("mapped bytes " + Bytes.format(s.get(Stat.MAPPED_BYTES)) + " with every block freed, above the floor "
                    + Bytes.format(floor)
                    + " (mappings " + s.get(Stat.MAPPINGS_LIVE) + ", superslabs " + s.get(Stat.SUPERSLABS)
                    + ", segments " + s.get(Stat.SEGMENTS) + ")");
        }
    }

    /** Mostly small, some medium, rarely above the largest size class. */
    private static long randomSize(SplittableRandom rnd) {
        int r = rnd.nextInt(100);
        if (r < 70) {
            return rnd.nextLong(0, 1025);
        }
        if (r < 98) {
            return rnd.nextLong(1025, 32 * 1024 + 1);
        }
        return rnd.nextLong(32 * 1024 + 1, 256 * 1024);
    }

    private void fail(String line) {
        synchronized (failures) {
            if (failures.size() < MAX_FAILURE_LINES) {
                failures.add(line);
            } else if (failures.size() == MAX_FAILURE_LINES) {
                failures.add("... (further failures not listed; see the counts)");
            }
        }
    }
}
