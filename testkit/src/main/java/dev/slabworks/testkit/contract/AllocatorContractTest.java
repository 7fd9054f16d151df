package dev.slabworks.testkit.contract;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.Syscall;
import dev.slabworks.api.os.SyscallCause;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The contract every strategy must meet (docs/DESIGN.md §4 the SPI, §20 reliability). A strategy module runs it
 * with one subclass that supplies its factory and the {@link Configuration}s that take the strategy down
 * different paths (a small SuperSlab, no LRU, each validation mode, ...), as JUnit's parameterized class:
 * <pre>{@code
 * @ParameterizedClass(name = "{0}")
 * @MethodSource("configurations")
 * class SuperSlabContractTest extends AllocatorContractTest {
 *     static List<Configuration> configurations() {
 *         return List.of(new Configuration("defaults", Knobs.defaults()), ...);
 *     }
 *     SuperSlabContractTest(Configuration configuration) { super(configuration); }
 *     protected AllocatorFactory factory() { return new SuperSlabFactory(); }
 * }
 * }</pre>
 * Every test of the suite, those of {@link InvalidFreeContract} included, runs once per configuration.
 */
public abstract class AllocatorContractTest implements InvalidFreeContract {
    /**
     * One configuration the suite runs a strategy in: a name (what the test report shows), the knobs, and whether a
     * freed block's memory stays mapped, so that a second free can be told from a foreign one. That is true for
     * every slab strategy that keeps empty memory; an allocator that unmaps a block's memory as it is freed (the
     * churn setting, a block per mapping) answers FOREIGN to a second free, and says so here.
     */
    public record Configuration(String name, Knobs knobs, boolean freedBlocksStayMapped) {
        /** A configuration whose freed blocks stay mapped. */
        public Configuration(String name, Knobs knobs) {
            this(name, knobs, true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Sizes at and around every boundary a strategy is likely to have. */
    protected static final long[] EDGE_SIZES = {
        0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65, 100, 127, 128, 129, 255, 256, 257,
        511, 512, 513, 1000, 1023, 1024, 1025, 2048, 4095, 4096, 4097, 8192, 16383, 16384, 16385,
        32767, 32768, 32769, 65536, 100_000, 262_144, (1 << 20) + 3,
    };

    private final List<Allocator> opened = new ArrayList<>();
    private final Configuration configuration;

    /** A failure names its configuration: the test report names only the class and the method. */
    @RegisterExtension
    final TestExecutionExceptionHandler namesConfiguration;

    protected AllocatorContractTest(Configuration configuration) {
        this.configuration = configuration;
        this.namesConfiguration = (context, failure) -> {
            throw new AssertionError("in configuration '" + configuration + "': " + failure.getMessage(), failure);
        };
    }

    /** The strategy under test. */
    protected abstract AllocatorFactory factory();

    @Override
    public final Knobs knobs() {
        return configuration.knobs();
    }

    @Override
    public final Kind[] secondFreeKinds() {
        return configuration.freedBlocksStayMapped()
                ? new Kind[] {Kind.DOUBLE_FREE} : new Kind[] {Kind.DOUBLE_FREE, Kind.FOREIGN};
    }

    protected final Allocator newAllocator() {
        return newAllocator(knobs());
    }

    @Override
    public final Allocator newAllocator(Knobs k) {
        Allocator a = factory().create(k);
        opened.add(a);
        return a;
    }

    @AfterEach
    final void closeAllocators() {
        for (Allocator a : opened) {
            a.close();
        }
        opened.clear();
    }

    // ---------------------------------------------------------------- shape of blocks

    @Test
    void every_block_is_16_byte_aligned_and_nonzero_for_every_size() {
        Allocator a = newAllocator();
        for (long size : EDGE_SIZES) {
            long p = a.allocate(size);
            assertThat(p).as("allocate(%d)", size).isNotZero();
            assertThat(p % Allocator.ALIGNMENT).as("allocate(%d) = 0x%x alignment", size, p).isZero();
        }
    }

    @Test
    void usable_size_is_at_least_the_requested_size_and_all_of_it_is_writable() {
        Allocator a = newAllocator();
        for (long size : EDGE_SIZES) {
            long p = a.allocate(size);
            long usable = a.usableSize(p);
            assertThat(usable).as("usableSize after allocate(%d)", size).isGreaterThanOrEqualTo(Math.max(size, 1));
            Memory.putByte(p, (byte) 1);
            Memory.putByte(p + usable - 1, (byte) 2);
            assertThat(a.segment(p).byteSize()).isEqualTo(usable);
        }
    }

    @Test
    void zero_size_allocations_are_distinct_blocks() {
        Allocator a = newAllocator();
        long p = a.allocate(0);
        long q = a.allocate(0);
        assertThat(p).isNotEqualTo(q);
        a.free(p);
        a.free(q);
    }

    @Test
    void a_negative_size_is_refused() {
        Allocator a = newAllocator();
        assertThatThrownBy(() -> a.allocate(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void live_blocks_never_overlap() {
        Allocator a = newAllocator();
        SplittableRandom rnd = new SplittableRandom(42);
        TreeMap<Long, Long> live = new TreeMap<>();
        for (int i = 0; i < 20_000; i++) {
            if (!live.isEmpty() && rnd.nextInt(3) == 0) {
                Long victim = live.ceilingKey(rnd.nextLong(Long.MAX_VALUE >>> 16));
                if (victim == null) {
                    victim = live.firstKey();
                }
                live.remove(victim);
                a.free(victim);
            } else {
                long size = randomSize(rnd);
                long p = a.allocate(size);
                assertThat(live).as("allocate returned a live block").doesNotContainKey(p);
                live.put(p, a.usableSize(p));
            }
        }
        long end = 0;
        for (Map.Entry<Long, Long> e : live.entrySet()) {
            assertThat(e.getKey()).as("block at 0x%x overlaps the one before", e.getKey()).isGreaterThanOrEqualTo(end);
            end = e.getKey() + e.getValue();
        }
    }

    @Test
    void contents_survive_while_other_blocks_come_and_go() {
        Allocator a = newAllocator();
        SplittableRandom rnd = new SplittableRandom(7);
        Map<Long, Long> live = new HashMap<>(); // address -> requested size
        List<Long> order = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            if (!order.isEmpty() && rnd.nextInt(2) == 0) {
                long p = order.remove(rnd.nextInt(order.size()));
                Patterns.verify(p, live.remove(p));
                a.free(p);
            } else {
                long size = randomSize(rnd);
                long p = a.allocate(size);
                Patterns.fill(p, size);
                live.put(p, size);
                order.add(p);
            }
        }
        live.forEach(Patterns::verify);
    }

    // ---------------------------------------------------------------- reallocate

    @Test
    void reallocate_keeps_contents_when_growing_and_when_shrinking() {
        Allocator a = newAllocator();
        long size = 24;
        long p = a.allocate(size);
        Patterns.fill(p, size);
        long[] steps = {40, 200, 5000, 40_000, 300_000, 1000, 17, 64, 0, 8};
        for (long next : steps) {
            long q = a.reallocate(p, next);
            long kept = Math.min(size, next);
            Patterns.verifyPrefix(q, p, size, kept);
            assertThat(a.usableSize(q)).isGreaterThanOrEqualTo(next);
            Patterns.fill(q, next);
            p = q;
            size = next;
        }
        a.free(p);
    }

    @Test
    void a_buffer_grown_in_small_steps_past_32_KiB_is_moved_only_a_few_times_and_keeps_its_contents() {
        growInSmallSteps(newAllocator());
    }

    @Test
    void a_grown_buffer_the_direct_cache_gave_a_larger_mapping_is_not_moved_back_down() {
        Allocator a = newAllocator();
        a.free(a.allocate(640 << 10)); // kept by the direct cache: a later move may get it, up to twice its ask
        growInSmallSteps(a);
    }

    private static void growInSmallSteps(Allocator a) {
        long size = 40_000;
        long p = a.allocate(size);
        Patterns.fill(p, size);
        int moves = 0;
        while (size < 1_000_000) {
            long next = size + 8192;
            long q = a.reallocate(p, next);
            Patterns.verifyPrefix(q, p, size, size);
            moves += q != p ? 1 : 0;
            Patterns.fill(q, next);
            p = q;
            size = next;
        }
        // realloc.growth (50 %) gives each move a half of headroom: ~5 moves, where moving to the exact size
        // moves on every step that outgrows the 64 KiB direct granule (15); a block moved back down and up
        // again (the half rule against the headroom) would make 14
        assertThat(moves).isBetween(1, 12);
        a.free(p);
    }

    @Test
    void reallocate_of_address_zero_allocates() {
        Allocator a = newAllocator();
        long p = a.reallocate(0, 100);
        assertThat(p).isNotZero();
        assertThat(a.usableSize(p)).isGreaterThanOrEqualTo(100);
        a.free(p);
    }

    @Test
    void the_old_block_of_a_moving_reallocate_is_freed() {
        Allocator a = newAllocator();
        long p = a.allocate(16);
        long q = a.reallocate(p, 100_000);
        if (q != p) {
            assertThat(catchThrowableOfType(InvalidFreeException.class, () -> a.free(p)).kind())
                    .isIn(Kind.DOUBLE_FREE, Kind.FOREIGN, Kind.INTERIOR);
        }
        a.free(q);
    }

    // ---------------------------------------------------------------- threads

    @Test
    void a_block_may_be_freed_by_another_thread() throws Exception {
        Allocator a = newAllocator();
        int n = 5_000;
        long[] blocks = new long[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = a.allocate(16 + (i % 64) * 16);
            Patterns.fill(blocks[i], 16 + (i % 64) * 16);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    Patterns.verify(blocks[i], 16 + (i % 64) * 16);
                    a.free(blocks[i]);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        other.start();
        other.join();
        assertThat(failure.get()).isNull();
        StatsSnapshot s = a.stats();
        assertThat(s.get(Stat.FREES)).isEqualTo(n);
        assertThat(s.get(Stat.ALLOCATIONS) - s.get(Stat.FREES)).isZero();
        // the owner goes on allocating: remotely freed memory comes back or new memory is mapped,
        // either way nothing overlaps a block that is still live
        long keep = a.allocate(100);
        Patterns.fill(keep, 100);
        for (int i = 0; i < n; i++) {
            long p = a.allocate(16 + (i % 64) * 16);
            assertThat(p).isNotEqualTo(keep);
            a.free(p);
        }
        Patterns.verify(keep, 100);
    }

    @Test
    void blocks_handed_between_threads_stay_intact_and_none_is_lost() throws Exception {
        Allocator a = newAllocator();
        int producers = 2;
        int perProducer = 20_000;
        BlockingQueue<long[]> queue = new ArrayBlockingQueue<>(1024);
        Map<Long, Boolean> seen = new ConcurrentHashMap<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(producers + 1);
        for (int t = 0; t < producers; t++) {
            int seed = t;
            Thread.ofPlatform().start(() -> {
                try {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    for (int i = 0; i < perProducer; i++) {
                        long size = randomSize(rnd) % 4096;
                        long p = a.allocate(size);
                        Patterns.fill(p, size);
                        queue.put(new long[] {p, size});
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
        }
        Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < producers * perProducer; i++) {
                    long[] b;
                    while ((b = queue.poll(10, TimeUnit.MILLISECONDS)) == null) {
                        if (failure.get() != null) {
                            return; // a producer failed: its blocks will never come
                        }
                    }
                    Patterns.verify(b[0], b[1]);
                    a.free(b[0]);
                    seen.put(b[0], Boolean.TRUE);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                done.countDown();
            }
        });
        done.await();
        assertThat(failure.get()).isNull();
        StatsSnapshot s = a.stats();
        assertThat(s.get(Stat.ALLOCATIONS)).isEqualTo((long) producers * perProducer);
        assertThat(s.get(Stat.FREES)).isEqualTo((long) producers * perProducer);
        assertThat(s.get(Stat.LIVE_BYTES)).isZero();
    }

    @Test
    void the_live_bytes_peak_sees_a_rise_that_was_freed_again() {
        Allocator a = newAllocator();
        long[] blocks = new long[65536]; // 4 MiB of 64-byte blocks: twice a 2 MiB SuperSlab's one slab, 64 publish steps
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = a.allocate(64);
        }
        for (long p : blocks) {
            a.free(p);
        }
        StatsSnapshot s = a.stats();
        assertThat(s.get(Stat.LIVE_BYTES)).isZero();
        assertThat(s.get(Stat.LIVE_BYTES_PEAK)).as("sampled on the way up: it misses at most what the thread's caches "
                + "and current slabs or pages held, plus two steps").isGreaterThanOrEqualTo(1 << 20);
    }

    // ---------------------------------------------------------------- close

    @Test
    void close_returns_every_mapping_after_a_workload() {
        Allocator a = factory().create(knobs());
        SplittableRandom rnd = new SplittableRandom(3);
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            if (!live.isEmpty() && rnd.nextBoolean()) {
                a.free(live.remove(rnd.nextInt(live.size())));
            } else {
                live.add(a.allocate(randomSize(rnd)));
            }
        }
        assertThat(a.stats().get(Stat.MAPPED_BYTES)).isPositive();
        a.close();
        assertClosedClean(a.stats());
    }

    @Test
    void close_returns_every_mapping_even_with_blocks_still_live_and_frees_from_other_threads() throws Exception {
        Allocator a = factory().create(knobs());
        for (int i = 0; i < 1000; i++) {
            a.allocate(i * 8);
        }
        long remote = a.allocate(200);
        Thread t = Thread.ofPlatform().start(() -> {
            a.allocate(5000); // a heap for this thread too
            a.free(remote);
        });
        t.join();
        a.allocate(1 << 20);
        a.close();
        assertClosedClean(a.stats());
    }

    @Test
    void every_kernel_call_names_its_cause_and_close_unmaps_what_is_left_as_close() {
        Allocator a = factory().create(knobs());
        SplittableRandom rnd = new SplittableRandom(5);
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            if (!live.isEmpty() && rnd.nextBoolean()) {
                a.free(live.remove(rnd.nextInt(live.size())));
            } else {
                live.add(a.allocate(randomSize(rnd)));
            }
        }
        a.trim();
        StatsSnapshot before = a.stats();
        assertThat(before.syscallsByCause().count(SyscallCause.CLOSE)).as("close calls before close").isZero();
        a.close();
        StatsSnapshot after = a.stats();
        assertClosedClean(after);
        assertThat(after.syscallsByCause().count(SyscallCause.OTHER)).as("calls without a cause").isZero();
        assertThat(after.syscallsByCause().count(Syscall.MUNMAP, SyscallCause.CLOSE)).as("munmap by close")
                .isEqualTo(before.get(Stat.MAPPINGS_LIVE));
        for (Syscall call : new Syscall[] {Syscall.MMAP, Syscall.MADVISE, Syscall.MINCORE}) {
            assertThat(after.syscallsByCause().count(call, SyscallCause.CLOSE)).as("%s by close", call).isZero();
        }
    }

    private static void assertClosedClean(StatsSnapshot s) {
        assertThat(s.get(Stat.MAPPED_BYTES)).as("mapped bytes after close").isZero();
        assertThat(s.get(Stat.MAPPINGS_LIVE)).as("mappings live after close").isZero();
        assertThat(s.get(Stat.SYSCALL_MMAP)).as("mmap calls == munmap calls").isEqualTo(s.get(Stat.SYSCALL_MUNMAP));
    }

    // ---------------------------------------------------------------- helpers

    /** Sizes mostly small, sometimes medium, rarely above the largest class. */
    protected static long randomSize(SplittableRandom rnd) {
        int r = rnd.nextInt(100);
        if (r < 70) {
            return rnd.nextLong(0, 1025);
        }
        if (r < 97) {
            return rnd.nextLong(1025, 32769);
        }
        return rnd.nextLong(32769, 300_000);
    }
}
