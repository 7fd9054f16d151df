package dev.slabworks.api.mid;

import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.Syscall;
import dev.slabworks.api.os.SyscallCause;
import dev.slabworks.api.os.SyscallCounters;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.MincoreCache;
import dev.slabworks.api.validate.ValidationMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class MidPathTest {
    private final Os os = new Os();
    private final ThreadStats stats = new Stats(os).registerThread();
    private MidPath mid;

    private MidPath mid(MidPolicy policy, boolean madvise, ValidationMode validation) {
        mid = new MidPath(os, new MidConfig(1023, policy, 64 << 10, madvise, validation, 64));
        return mid;
    }

    @AfterEach
    void closeAll() {
        if (mid != null) {
            mid.closeAll();
        }
        assertThat(os.mappedBytes()).isZero();
        assertThat(os.syscalls().count(Syscall.MMAP)).isEqualTo(os.syscalls().count(Syscall.MUNMAP));
    }

    private Kind rejection(Runnable r) {
        InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, r::run);
        assertThat(e).isNotNull();
        return e.kind();
    }

    @Test
    void the_seeds_mid_block_is_one_mapping_checked_with_mincore_advised_and_unmapped_by_its_free() {
        MidPath m = mid(MidPolicy.BLOCK, true, ValidationMode.MINCORE);
        MincoreCache cache = m.newThreadCache();
        long p = m.allocate(1030, stats);
        assertThat(p % 16).isZero();
        assertThat(Memory.getLong(p - MidPath.HEADER)).isEqualTo(MidPath.MAGIC);
        assertThat(Memory.getLong(p - MidPath.HEADER + 8)).isEqualTo(1030);
        assertThat(m.usableSize(p, stats, cache)).isEqualTo(Os.PAGE_SIZE - MidPath.HEADER);
        Memory.fill(p, Os.PAGE_SIZE - MidPath.HEADER, (byte) 7); // all of it is the caller's
        m.free(p, stats, cache);
        SyscallCounters c = os.syscalls();
        assertThat(c.count(Syscall.MMAP, SyscallCause.MID)).isEqualTo(1);
        assertThat(c.count(Syscall.MADVISE, SyscallCause.MID)).isEqualTo(1);
        assertThat(c.count(Syscall.MUNMAP, SyscallCause.MID)).isEqualTo(1);
        assertThat(c.count(Syscall.MINCORE, SyscallCause.VALIDATION)).isEqualTo(2); // usableSize and free
        assertThat(stats.get(Stat.MID_ALLOCATIONS)).isEqualTo(1);
        assertThat(rejection(() -> m.free(p, stats, cache))).isEqualTo(Kind.FOREIGN); // unmapped by the free
        assertThat(m.mappedCount()).isZero();
    }

    @Test
    void a_view_of_a_mid_block_fails_cleanly_once_its_mapping_is_gone() {
        MidPath m = mid(MidPolicy.BLOCK, false, ValidationMode.REGISTRY);
        MincoreCache cache = m.newThreadCache();
        long p = m.allocate(3000, stats);
        dev.slabworks.api.validate.RegionMap<?> strategys = new dev.slabworks.api.validate.RegionMap<>(1 << 16);
        java.lang.foreign.MemorySegment view = m.mapHolding(strategys, p).view(p, m.usableSize(p, stats, cache));
        view.set(java.lang.foreign.ValueLayout.JAVA_LONG, 8, 42L);
        assertThat(Memory.getLong(p + 8)).isEqualTo(42L);
        m.free(p, stats, cache); // unmapped: its view must not read the hole
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> view.get(java.lang.foreign.ValueLayout.JAVA_LONG, 8))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void an_address_inside_a_mid_block_or_its_header_is_interior_and_changes_nothing() {
        for (MidPolicy policy : MidPolicy.values()) {
            MidPath m = mid(policy, false, ValidationMode.REGISTRY);
            MincoreCache cache = m.newThreadCache();
            long p = m.allocate(2000, stats);
            long q = m.allocate(2000, stats);
            for (long bad : new long[] {p - MidPath.HEADER, p - 8, p + 1, p + 16, p + 1999}) {
                assertThat(rejection(() -> m.free(bad, stats, cache))).as("%s free(0x%x)", policy, bad)
                        .isEqualTo(Kind.INTERIOR);
            }
            m.free(p, stats, cache);
            m.free(q, stats, cache);
            m.closeAll();
        }
    }

    @Test
    void pooled_blocks_of_a_class_share_a_chunk_and_a_second_free_is_a_double_free() {
        MidPath m = mid(MidPolicy.POOLED, false, ValidationMode.REGISTRY);
        MincoreCache cache = m.newThreadCache();
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            blocks.add(m.allocate(1025 + i % 15, stats)); // all of class 1280: 50 blocks of 1296 in 64 KiB
        }
        assertThat(os.syscalls().count(Syscall.MMAP)).isEqualTo(1);
        assertThat(blocks.stream().distinct().count()).isEqualTo(40);
        assertThat(m.usableSize(blocks.getFirst(), stats, cache)).isEqualTo(1280);
        long first = blocks.removeFirst();
        m.free(first, stats, cache);
        assertThat(rejection(() -> m.free(first, stats, cache))).isEqualTo(Kind.DOUBLE_FREE);
        assertThat(rejection(() -> m.usableSize(first, stats, cache))).isEqualTo(Kind.DOUBLE_FREE);
        assertThat(m.allocate(1030, stats)).isEqualTo(first); // its slot is reused
        assertThat(os.syscalls().count(Syscall.MADVISE)).isZero(); // a 1296-byte block spans no whole page
    }

    @Test
    void an_emptied_chunk_stays_only_while_it_is_its_classs_last_and_trim_unmaps_it() {
        MidPath m = mid(MidPolicy.POOLED, false, ValidationMode.REGISTRY);
        MincoreCache cache = m.newThreadCache();
        int perChunk = (int) ((64 << 10) / (1280 + MidPath.HEADER));
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 2 * perChunk; i++) {
            blocks.add(m.allocate(1100, stats));
        }
        assertThat(m.mappedCount()).isEqualTo(2);
        for (long p : blocks) {
            m.free(p, stats, cache);
        }
        assertThat(m.mappedCount()).isEqualTo(1); // the first to empty went, the last one stays
        assertThat(os.syscalls().count(Syscall.MUNMAP, SyscallCause.MID)).isEqualTo(1);
        assertThat(m.trim()).isEqualTo(1);
        assertThat(m.mappedCount()).isZero();
    }

    @Test
    void racing_frees_of_one_block_have_exactly_one_winner() throws Exception {
        for (MidPolicy policy : MidPolicy.values()) {
            MidPath m = mid(policy, false, ValidationMode.REGISTRY);
            for (int round = 0; round < 200; round++) {
                long p = m.allocate(5000, stats);
                AtomicInteger wins = new AtomicInteger();
                CyclicBarrier start = new CyclicBarrier(2);
                Runnable free = () -> {
                    ThreadStats own = new Stats(os).registerThread();
                    try {
                        start.await();
                        m.free(p, own, m.newThreadCache());
                        wins.incrementAndGet();
                    } catch (InvalidFreeException e) {
                        assertThat(e.kind()).isIn(Kind.DOUBLE_FREE, Kind.FOREIGN);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                };
                Thread t = Thread.ofPlatform().start(free);
                free.run();
                t.join();
                assertThat(wins.get()).as("%s round %d", policy, round).isEqualTo(1);
            }
            m.closeAll();
        }
    }

    @Test
    void close_unmaps_live_blocks_and_kept_chunks_as_close() {
        MidPath m = mid(MidPolicy.POOLED, false, ValidationMode.REGISTRY);
        for (int size = 1100; size <= SizeClasses.MAX_SIZE; size += 3000) {
            m.allocate(size, stats);
        }
        long mapped = m.mappedCount();
        m.closeAll();
        assertThat(os.syscalls().count(Syscall.MUNMAP, SyscallCause.CLOSE)).isEqualTo(mapped);
        assertThat(os.mappingsLive()).isZero();
    }

    @Test
    void with_small_max_at_32_kib_there_is_no_mid_path_and_no_address_is_its() {
        MidPath m = new MidPath(os, new MidConfig(SizeClasses.MAX_SIZE, MidPolicy.BLOCK, 64 << 10, true,
                ValidationMode.MINCORE, 64));
        assertThat(m.enabled()).isFalse();
        assertThat(rejection(() -> m.free(0x1000, stats, null))).isEqualTo(Kind.FOREIGN);
        assertThat(os.syscalls().totalCount()).isEqualTo(1); // Stats' getrusage at start, nothing of the path's
        m.closeAll();
    }
}
