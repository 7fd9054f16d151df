package dev.slabworks.testkit.contract;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.os.Errno;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.OsException;
import dev.slabworks.api.os.OutOfNativeMemoryError;
import dev.slabworks.api.os.Syscall;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.testkit.contract.AllocatorContractTest.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a strategy does when the kernel refuses a call (docs/DESIGN.md §5, "Failures"; §20): every test makes an
 * allocator over a {@link FaultInjectingKernel} through {@code factory().create(knobs, new Os(kernel))}, makes
 * chosen calls fail, and pins down
 * <ul>
 *   <li>a refused {@code mmap}: the call that needed memory throws {@link OutOfNativeMemoryError} ({@code ENOMEM})
 *       or {@link OsException} (any other errno) naming the call and the errno; it is not counted as a syscall;
 *       nothing else changed (no block lost, moved or handed out twice, counts exact), and once the kernel
 *       recovers the allocator works as if nothing happened: wherever in the strategy the {@code mmap} was
 *       (a refill, a SuperSlab, a segment, a direct block, a prewarm in the constructor);</li>
 *   <li>a refused {@code munmap}: the caller's operation succeeds, the mapping stays mapped and counted and is
 *       retried, the failure shows in the stats and the close report, and {@code close()} releases the rest and
 *       then throws naming what it could not release;</li>
 *   <li>a refused {@code madvise}: nothing but a counted failure, and a later purge pass succeeds.</li>
 * </ul>
 * Throughout, the allocator's own figures ({@code mmap}, {@code munmap}, live mappings, mapped bytes) must agree
 * with what the kernel itself did. A strategy module runs the suite with one subclass naming its factory and the
 * configurations that take it down its own paths (no LRU, purges at once, ...), like {@link AllocatorContractTest}.
 * A test whose calls a configuration never makes (a strategy that never purges) is skipped, not passed.
 */
public abstract class KernelFaultContractTest {
    /** Sizes of every kind of request: small classes of both kinds of page, and direct blocks of three sizes. */
    private static final long[] SIZES = {
        16, 48, 100, 256, 520, 1000, 1024, 2000, 4000, 8000, 16_000, 24_000, 32_768, 40_000, 100_000, 1 << 20, 3 << 20};
    /** The sweep's sizes: every kind of mapping a strategy makes, and no large block (each costs page faults). */
    private static final long[] SWEEP_SIZES = {16, 100, 1000, 4000, 16_000, 32_768, 40_000, 100_000};
    private static final int SWEEP_OPERATIONS = 160;
    /** The most refusal points the sweep tries; spread evenly when the workload makes more mmaps than this. */
    private static final int SWEEP_POINTS = 24;
    /** How long a test waits for purges to come due once the kernel lets them through. */
    private static final long PURGE_WAIT_NANOS = 2_000_000_000L;

    private final Configuration configuration;
    private FaultInjectingKernel kernel;
    private Os os;
    private Allocator allocator;

    protected KernelFaultContractTest(Configuration configuration) {
        this.configuration = configuration;
    }

    /** The strategy under test. */
    protected abstract AllocatorFactory factory();

    /** A fresh kernel, OS layer and allocator of this configuration (the previous ones were closed). */
    private Allocator open() {
        kernel = new FaultInjectingKernel();
        os = new Os(kernel);
        allocator = factory().create(configuration.knobs(), os);
        return allocator;
    }

    @AfterEach
    final void nothingIsLeftMapped() {
        if (allocator != null) {
            kernel.recover();
            allocator.close();
            os.retryUnreleased();
            assertThat(kernel.mappingsHeld()).as("mappings left after close, by the kernel's own count").isZero();
        }
    }

    // ---------------------------------------------------------------- mmap

    @ParameterizedTest(name = "errno {0}")
    @ValueSource(ints = {Errno.ENOMEM, Errno.EAGAIN, Errno.EPERM})
    void a_refused_mmap_throws_naming_it_and_changes_nothing(int errno) {
        Allocator a = open();
        LiveBlocks live = new LiveBlocks();
        live.allocateEach(a, SIZES);
        StatsSnapshot before = a.stats();
        kernel.failAlways(Syscall.MMAP, errno);
        int refused = 0;
        for (int round = 0; round < 3; round++) { // new classes, new pages, new direct blocks: each needs a mapping
            for (long size : SIZES) {
                Throwable t = catchThrowable(() -> live.allocate(a, size));
                if (t != null) {
                    assertRefusal(t, errno);
                    refused++;
                }
            }
        }
        assertThat(refused).as("allocations refused").isPositive();
        assertThat(kernel.injected(Syscall.MMAP)).isPositive();
        StatsSnapshot after = a.stats();
        assertThat(after.get(Stat.SYSCALL_MMAP)).as("a refused mmap is not a syscall").isEqualTo(before.get(Stat.SYSCALL_MMAP));
        live.assertIntactAndCounted(a);
        assertAccountingMatchesTheKernel(a);

        kernel.recover();
        live.allocateEach(a, SIZES);
        live.workout(a, 400, 7);
        live.assertIntactAndCounted(a);
        assertAccountingMatchesTheKernel(a);
        live.freeAll(a);
        assertClosesReleasingEverything(a);
    }

    @Test
    void a_reallocation_refused_its_headroom_moves_to_the_exact_size_and_keeps_the_contents() {
        Allocator a = open();
        long p = a.allocate(100_000);
        Patterns.fill(p, 100_000);
        kernel.failNext(Syscall.MMAP, Errno.ENOMEM); // the move's mapping with realloc.growth's headroom (300,000 B)
        long q = a.reallocate(p, 200_000);
        assertThat(kernel.injected(Syscall.MMAP)).isEqualTo(1);
        assertThat(a.usableSize(q)).as("the exact size, rounded to a granule").isBetween(200_000L, 299_999L);
        Patterns.verifyPrefix(q, p, 100_000, 100_000);
        a.free(q);
    }

    @Test
    void the_nth_mmap_refused_anywhere_leaves_nothing_half_built() {
        open();
        runSweepWorkload(allocator, new LiveBlocks(), kernel);
        long mmaps = kernel.calls(Syscall.MMAP);
        allocator.close();
        allocator = null;
        assertThat(mmaps).as("mmaps of the workload").isPositive();
        long step = Math.max(1, mmaps / SWEEP_POINTS);
        for (long n = 1; n <= mmaps; n += step) {
            refuseNthMmap(n);
        }
    }

    /** Runs the sweep's workload with the {@code n}-th mmap (counted from the allocator's construction) refused. */
    private void refuseNthMmap(long n) {
        kernel = new FaultInjectingKernel();
        kernel.failNth(Syscall.MMAP, n, Errno.ENOMEM);
        os = new Os(kernel);
        Allocator a;
        try {
            a = factory().create(configuration.knobs(), os);
        } catch (OutOfNativeMemoryError e) { // refused while the constructor mapped ahead (a prewarm)
            assertThat(kernel.mappingsHeld()).as("mmap #%d refused in the constructor: left mapped", n).isZero();
            assertThat(os.mappedBytes()).isZero();
            return;
        }
        LiveBlocks live = new LiveBlocks();
        int refused = runSweepWorkload(a, live, kernel);
        assertThat(kernel.injected(Syscall.MMAP)).as("mmap #%d refused", n).isEqualTo(1);
        assertThat(refused).as("operations that met mmap #%d refused", n).isEqualTo(1);
        live.assertIntactAndCounted(a);
        assertAccountingMatchesTheKernel(a);
        for (long size : SWEEP_SIZES) { // what was refused works now
            live.allocate(a, size);
        }
        live.assertIntactAndCounted(a);
        live.freeAll(a);
        a.close();
        assertThat(kernel.mappingsHeld()).as("mmap #%d refused: left mapped after close", n).isZero();
    }

    /**
     * A deterministic mix of allocations of every kind, frees and reallocations; returns how many met a refused
     * {@code mmap} of {@code k}: refused, or a reallocation that was refused its headroom ({@code realloc.growth})
     * and moved without it.
     */
    private static int runSweepWorkload(Allocator a, LiveBlocks live, FaultInjectingKernel k) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
        int refused = 0;
        for (int i = 0; i < SWEEP_OPERATIONS; i++) {
            long size = SWEEP_SIZES[i % SWEEP_SIZES.length];
            long injected = k.injected(Syscall.MMAP);
            try {
                if (i % 5 == 4 && live.size() > 0) {
                    live.reallocate(a, live.pick(rnd), SWEEP_SIZES[rnd.nextInt(SWEEP_SIZES.length)]);
                    refused += k.injected(Syscall.MMAP) > injected ? 1 : 0;
                } else {
                    live.allocate(a, size);
                }
            } catch (OutOfNativeMemoryError e) {
                refused++;
            }
            if (i % 3 == 2 && live.size() > 0) {
                live.free(a, live.pick(rnd));
            }
        }
        return refused;
    }

    // ---------------------------------------------------------------- munmap

    @Test
    void a_refused_munmap_fails_no_call_loses_nothing_and_is_retried() {
        Allocator a = open();
        LiveBlocks live = new LiveBlocks();
        for (int i = 0; i < 4; i++) {
            live.allocateEach(a, SIZES);
        }
        kernel.failAlways(Syscall.MUNMAP, Errno.EINVAL);
        live.freeAll(a); // may empty SuperSlabs, pages, segments and direct blocks: each may be unmapped now
        a.trim(); // gives back cached direct mappings, empty SuperSlabs and segments past the LRU
        assertThat(kernel.injected(Syscall.MUNMAP)).as("munmaps refused").isPositive();
        StatsSnapshot s = a.stats();
        assertThat(s.get(Stat.MAPPINGS_UNRELEASED)).isPositive().isEqualTo(os.unreleasedMappings());
        assertAccountingMatchesTheKernel(a);

        live.workout(a, 300, 3); // still usable while munmap keeps failing
        live.assertIntactAndCounted(a);
        assertAccountingMatchesTheKernel(a);

        kernel.recover();
        long refused = kernel.injected(Syscall.MUNMAP);
        live.workout(a, 300, 4);
        live.freeAll(a);
        a.trim();
        String report = StandardError.during(a::close);
        assertThat(report).contains("kernel calls failed").contains("munmap " + refused + ",")
                .contains("0 mapping(s) still mapped");
        assertReleasedEverything(a);
    }

    @Test
    void refusals_on_one_thread_leave_another_threads_frees_and_blocks_alone() throws InterruptedException {
        Allocator a = open();
        LiveBlocks mine = new LiveBlocks();
        for (int i = 0; i < 3; i++) {
            mine.allocateEach(a, SIZES);
        }
        kernel.failAlways(Syscall.MMAP, Errno.ENOMEM);
        kernel.failAlways(Syscall.MUNMAP, Errno.EINVAL);
        Throwable[] unexpected = new Throwable[1];
        Thread other = new Thread(() -> {
            try {
                mine.freeAll(a); // remote frees of every block: they may empty slabs, pages, SuperSlabs
                LiveBlocks theirs = new LiveBlocks();
                for (long size : SIZES) {
                    try {
                        theirs.allocate(a, size);
                    } catch (OutOfNativeMemoryError refused) {
                        // no memory for this thread's own heap: what the kernel said
                    }
                }
                theirs.freeAll(a);
            } catch (Throwable t) {
                unexpected[0] = t;
            }
        });
        other.start();
        other.join();
        assertThat(unexpected[0]).as("on the other thread").isNull();
        assertAccountingMatchesTheKernel(a);

        kernel.recover();
        a.trim(); // reclaims the other thread's heap, which ended
        LiveBlocks after = new LiveBlocks();
        after.workout(a, 300, 11);
        after.assertIntactAndCounted(a);
        after.freeAll(a);
        String report = StandardError.during(a::close);
        if (kernel.injected(Syscall.MMAP) + kernel.injected(Syscall.MUNMAP) > 0) {
            assertThat(report).contains("kernel calls failed: mmap " + kernel.injected(Syscall.MMAP) + ", munmap "
                    + kernel.injected(Syscall.MUNMAP) + ",");
        } else {
            assertThat(report).as("nothing refused: nothing to report").doesNotContain("kernel calls failed");
        }
        assertReleasedEverything(a);
    }

    @Test
    void a_mapping_the_kernel_will_not_unmap_is_reported_and_close_still_releases_the_rest() {
        Allocator a = open();
        new LiveBlocks().allocateEach(a, SIZES); // live at close: close unmaps them too
        assertThat(a.stats().get(Stat.MAPPINGS_LIVE)).isGreaterThan(1);
        kernel.pinNextMunmap(Errno.EINVAL);
        StandardError.Outcome closing = StandardError.capture(a::close);
        assertThat(closing.thrown()).as("close with a mapping the kernel keeps").isInstanceOf(OsException.class);
        OsException e = (OsException) closing.thrown();
        assertThat(e.syscall()).isEqualTo(Syscall.MUNMAP);
        assertThat(e.errno()).isEqualTo(Errno.EINVAL);
        assertThat(e.getMessage()).contains("1 mapping(s)").contains("could not be unmapped").contains("EINVAL");
        StatsSnapshot s = a.stats();
        assertThat(s.get(Stat.MAPPINGS_UNRELEASED)).isEqualTo(1);
        assertThat(s.get(Stat.MAPPINGS_LIVE)).as("everything else released").isEqualTo(1);
        assertThat(kernel.mappingsHeld()).isEqualTo(1);
        assertThat(closing.printed()).contains("kernel calls failed").contains("1 mapping(s) still mapped");
        assertAccountingMatchesTheKernel(a);

        kernel.recover();
        assertThat(os.retryUnreleased()).as("what the caller who made the Os can still do").isZero();
        assertReleasedEverything(a);
    }

    // ---------------------------------------------------------------- madvise

    @Test
    void a_refused_madvise_is_counted_and_retried_and_changes_nothing_else() throws InterruptedException {
        Allocator a = open();
        LiveBlocks live = new LiveBlocks();
        kernel.failAlways(Syscall.MADVISE, Errno.EAGAIN);
        for (int i = 0; i < 3; i++) {
            live.allocateEach(a, SIZES);
            live.workout(a, 200, i);
            live.freeAll(a);
            a.trim();
        }
        long refused = kernel.injected(Syscall.MADVISE);
        assumeTrue(refused > 0, "this configuration never purges");
        StatsSnapshot s = a.stats();
        assertThat(s.get(Stat.SYSCALL_MADVISE)).isZero();
        assertAccountingMatchesTheKernel(a);
        live.workout(a, 300, 9);
        live.assertIntactAndCounted(a);

        kernel.recover();
        refused = kernel.injected(Syscall.MADVISE);
        live.freeAll(a);
        a.trim();
        long deadline = System.nanoTime() + PURGE_WAIT_NANOS;
        while (a.stats().get(Stat.SYSCALL_MADVISE) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5); // the strategy's purge delay: what was freed just now is not due yet
            a.trim();
        }
        assertThat(a.stats().get(Stat.SYSCALL_MADVISE)).as("purges done once the kernel recovered").isPositive();
        assertAccountingMatchesTheKernel(a);
        String report = StandardError.during(a::close);
        assertThat(report).contains("kernel calls failed").contains("madvise " + refused + ";");
        assertReleasedEverything(a);
    }

    // ---------------------------------------------------------------- checks

    private static void assertRefusal(Throwable t, int errno) {
        if (errno == Errno.ENOMEM) {
            assertThat(t).isInstanceOf(OutOfNativeMemoryError.class);
            assertThat(t.getMessage()).startsWith("mmap(").contains("ENOMEM");
        } else {
            assertThat(t).isInstanceOf(OsException.class);
            OsException e = (OsException) t;
            assertThat(e.syscall()).isEqualTo(Syscall.MMAP);
            assertThat(e.errno()).isEqualTo(errno);
            assertThat(e.getMessage()).startsWith("mmap(").contains(Errno.name(errno));
        }
    }

    /** The allocator's syscall and mapping figures against what the kernel did and holds. */
    private void assertAccountingMatchesTheKernel(Allocator a) {
        StatsSnapshot s = a.stats();
        assertThat(s.get(Stat.SYSCALL_MMAP)).as("mmap").isEqualTo(kernel.succeeded(Syscall.MMAP));
        assertThat(s.get(Stat.SYSCALL_MUNMAP)).as("munmap").isEqualTo(kernel.succeeded(Syscall.MUNMAP));
        assertThat(s.get(Stat.SYSCALL_MADVISE)).as("madvise").isEqualTo(kernel.succeeded(Syscall.MADVISE));
        assertThat(s.get(Stat.SYSCALL_MMAP_FAILURES)).as("mmap refused").isEqualTo(kernel.injected(Syscall.MMAP));
        assertThat(s.get(Stat.SYSCALL_MUNMAP_FAILURES)).as("munmap refused").isEqualTo(kernel.injected(Syscall.MUNMAP));
        assertThat(s.get(Stat.SYSCALL_MADVISE_FAILURES)).as("madvise refused").isEqualTo(kernel.injected(Syscall.MADVISE));
        assertThat(s.get(Stat.MAPPINGS_LIVE)).as("live mappings").isEqualTo(kernel.mappingsHeld())
                .isEqualTo(s.get(Stat.SYSCALL_MMAP) - s.get(Stat.SYSCALL_MUNMAP));
        assertThat(s.get(Stat.MAPPED_BYTES)).as("mapped bytes").isEqualTo(kernel.bytesHeld());
    }

    private void assertClosesReleasingEverything(Allocator a) {
        a.close();
        assertReleasedEverything(a);
    }

    private void assertReleasedEverything(Allocator a) {
        StatsSnapshot s = a.stats();
        assertThat(kernel.mappingsHeld()).as("mappings the kernel still holds").isZero();
        assertThat(s.get(Stat.MAPPED_BYTES)).isZero();
        assertThat(s.get(Stat.MAPPINGS_UNRELEASED)).isZero();
        assertThat(s.get(Stat.SYSCALL_MMAP)).isEqualTo(s.get(Stat.SYSCALL_MUNMAP));
        assertAccountingMatchesTheKernel(a);
    }
}
