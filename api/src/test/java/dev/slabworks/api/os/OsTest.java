package dev.slabworks.api.os;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class OsTest {
    private final Os os = new Os();

    @Test
    void every_call_is_counted_and_its_time_adds_up() {
        Mapping m = os.map(3 * Os.PAGE_SIZE);
        os.advise(m.address(), m.size(), Advice.DONTNEED);
        os.advise(m.address(), Os.PAGE_SIZE, Advice.FREE);
        assertThat(os.isMapped(m.address())).isTrue();
        os.unmap(m);
        SyscallCounters c = os.syscalls();
        assertThat(c.count(Syscall.MMAP)).isEqualTo(1);
        assertThat(c.count(Syscall.MUNMAP)).isEqualTo(1);
        assertThat(c.count(Syscall.MADVISE)).isEqualTo(2);
        assertThat(c.count(Syscall.MINCORE)).isEqualTo(1);
        long sum = 0;
        for (Syscall s : Syscall.values()) {
            assertThat(c.nanos(s)).as("%s time", s).isGreaterThanOrEqualTo(c.count(s) == 0 ? 0 : 1);
            sum += c.nanos(s);
        }
        assertThat(c.totalNanos()).isEqualTo(sum);
        assertThat(c.totalCount()).isEqualTo(5);
    }

    @Test
    void every_call_counts_under_the_cause_its_caller_names_and_the_causes_sum_to_the_call() {
        Mapping m = os.map(2 * Os.PAGE_SIZE, SyscallCause.MID);
        os.advise(m.address(), Os.PAGE_SIZE, Advice.DONTNEED, SyscallCause.MID);
        os.advise(m.address(), Os.PAGE_SIZE, Advice.DONTNEED, SyscallCause.PURGE);
        assertThat(os.isMapped(m.address(), SyscallCause.VALIDATION)).isTrue();
        Mapping ss = os.mapAligned(64 << 10, 64 << 10, SyscallCause.PREWARM);
        os.unmap(m, SyscallCause.CLOSE);
        os.unmap(ss, SyscallCause.LRU_EVICTION);
        os.map(Os.PAGE_SIZE); // without a cause: OTHER
        SyscallCounters c = os.syscalls();
        assertThat(c.count(Syscall.MMAP, SyscallCause.MID)).isEqualTo(1);
        assertThat(c.count(Syscall.MADVISE, SyscallCause.MID)).isEqualTo(1);
        assertThat(c.count(Syscall.MADVISE, SyscallCause.PURGE)).isEqualTo(1);
        assertThat(c.count(Syscall.MINCORE, SyscallCause.VALIDATION)).isEqualTo(1);
        assertThat(c.count(Syscall.MMAP, SyscallCause.PREWARM)).isEqualTo(1);
        assertThat(c.count(Syscall.MUNMAP, SyscallCause.CLOSE)).isEqualTo(1);
        assertThat(c.count(Syscall.MUNMAP, SyscallCause.LRU_EVICTION)).isEqualTo(1);
        assertThat(c.count(Syscall.MMAP, SyscallCause.OTHER)).isEqualTo(1);
        for (Syscall call : Syscall.values()) {
            long count = 0;
            long nanos = 0;
            for (SyscallCause cause : SyscallCause.values()) {
                count += c.count(call, cause);
                nanos += c.nanos(call, cause);
            }
            assertThat(count).as("%s by cause", call).isEqualTo(c.count(call));
            assertThat(nanos).as("%s time by cause", call).isEqualTo(c.nanos(call));
        }
    }

    @Test
    void an_aligned_mapping_the_kernel_misplaces_costs_its_retry_to_alignment_not_to_its_caller() {
        // A small mapping with a large alignment: the kernel aligns anonymous mappings of 2 MiB and more by itself
        long align = 64L << 20;
        long length = 64 << 10;
        long taken = AlignedHints.next(length, align); // the slot after this one is the next mapping's hint
        NativeLibc.Scratch s = NativeLibc.scratch();
        long squatter = NativeLibc.mmap(s, taken + align, Os.PAGE_SIZE, NativeLibc.PROT_READ,
                NativeLibc.MAP_PRIVATE | NativeLibc.MAP_ANONYMOUS, -1, 0L);
        org.junit.jupiter.api.Assumptions.assumeTrue(squatter == taken + align, "the kernel did not honour the hint");
        try {
            Mapping m = os.mapAligned(length, align, SyscallCause.SUPERSLAB_MAP);
            org.junit.jupiter.api.Assumptions.assumeTrue(m.reservedSize() > length, "the first try happened to be aligned");
            assertThat(m.address() % align).isZero();
            SyscallCounters c = os.syscalls();
            assertThat(c.count(Syscall.MMAP, SyscallCause.SUPERSLAB_MAP)).isEqualTo(1);
            assertThat(c.count(Syscall.MUNMAP, SyscallCause.ALIGNMENT)).isEqualTo(1);
            assertThat(c.count(Syscall.MMAP, SyscallCause.ALIGNMENT)).isEqualTo(1);
            os.unmap(m, SyscallCause.CLOSE);
        } finally {
            NativeLibc.munmap(s, squatter, Os.PAGE_SIZE);
        }
    }

    @Test
    void mapped_memory_is_zeroed_writable_and_accounted_until_unmapped() {
        Mapping m = os.map(10_000);
        assertThat(m.size()).isEqualTo(Os.pageRound(10_000));
        assertThat(os.mappedBytes()).isEqualTo(m.reservedSize());
        assertThat(os.mappingsLive()).isEqualTo(1);
        for (long a = m.address(); a < m.end(); a += 512) {
            assertThat(Memory.getLong(a)).isZero();
        }
        Memory.putLong(m.address() + 8, 0x1234_5678_9abc_def0L);
        assertThat(Memory.getLong(m.address() + 8)).isEqualTo(0x1234_5678_9abc_def0L);
        os.unmap(m);
        assertThat(os.mappedBytes()).isZero();
        assertThat(os.mappedBytesPeak()).isEqualTo(m.reservedSize());
        assertThat(os.mappingsLive()).isZero();
    }

    @Test
    void aligned_mappings_are_aligned_and_cost_one_mmap_and_one_munmap_each() {
        long align = 2 << 20;
        Mapping[] ms = new Mapping[8];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = os.mapAligned(align, align);
            assertThat(ms[i].address() % align).isZero();
            assertThat(ms[i].size()).isEqualTo(align);
            Memory.putLong(ms[i].address() + align - 8, i); // the whole usable range is ours
        }
        for (Mapping m : ms) {
            os.unmap(m);
        }
        long mmaps = os.syscalls().count(Syscall.MMAP);
        assertThat(mmaps).isEqualTo(os.syscalls().count(Syscall.MUNMAP));
        assertThat(mmaps).isBetween(8L, 16L);
        assertThat(os.mappedBytes()).isZero();
    }

    @Test
    void aligned_mappings_land_at_their_hint_so_nearly_every_one_costs_a_single_mmap() {
        long align = 2 << 20;
        Mapping[] ms = new Mapping[64];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = os.mapAligned(align, align);
        }
        long inHintRange = 0;
        for (Mapping m : ms) {
            if (m.address() >= AlignedHints.HINT_BASE && m.address() < AlignedHints.HINT_END && m.reservedSize() == align) {
                inHintRange++;
            }
            os.unmap(m);
        }
        // Another allocator's live mapping can sit at a hint only after the cursor wraps (62 TiB later).
        assertThat(inHintRange).isGreaterThanOrEqualTo(60);
        assertThat(os.syscalls().count(Syscall.MMAP)).isLessThanOrEqualTo(ms.length + 8);
    }

    @Test
    void aligned_hints_are_aligned_never_overlap_and_wrap_inside_their_range() {
        long previousEnd = 0;
        for (int i = 0; i < 1000; i++) {
            long length = Os.PAGE_SIZE * (1 + i % 700);
            long alignment = 1L << (12 + i % 10);
            long hint = AlignedHints.next(length, alignment);
            assertThat(hint & (alignment - 1)).isZero();
            assertThat(hint).isBetween(AlignedHints.HINT_BASE, AlignedHints.HINT_END - length);
            if (hint >= previousEnd) {
                previousEnd = hint + length;
            } else {
                assertThat(hint).as("only a wrap goes back").isLessThan(AlignedHints.HINT_BASE + (64L << 30));
            }
        }
    }

    @Test
    void mincore_tells_mapped_from_unmapped_pages_without_touching_them() {
        Mapping m = os.map(2 * Os.PAGE_SIZE);
        long second = m.address() + Os.PAGE_SIZE;
        assertThat(os.isMapped(m.address())).isTrue();
        assertThat(os.isMapped(second + 123)).isTrue();
        os.unmap(m);
        assertThat(os.isMapped(m.address())).isFalse();
        assertThat(os.isMapped(second)).isFalse();
        assertThat(os.isMapped(0)).isFalse();
        assertThat(os.isMapped(1L << 47)).isFalse();
        assertThat(os.isMapped(-4096)).isFalse();
    }

    @Test
    void munmap_of_a_bad_range_raises_an_exception_naming_the_errno() {
        OsException e = catchThrowableOfType(OsException.class, () -> os.unmapRange(Os.PAGE_SIZE + 1, Os.PAGE_SIZE));
        assertThat(e).isNotNull();
        assertThat(e.syscall()).isEqualTo(Syscall.MUNMAP);
        assertThat(e.errno()).isEqualTo(Errno.EINVAL);
        assertThat(e.errnoName()).isEqualTo("EINVAL");
        assertThat(e.getMessage()).contains("munmap(0x1001").contains("EINVAL (22)").containsIgnoringCase("invalid argument");
        assertThat(os.syscalls().count(Syscall.MUNMAP)).as("a failed call is not counted as made").isZero();
        assertThat(os.failures(Syscall.MUNMAP)).isEqualTo(1);
        assertThat(os.lastFailure()).isSameAs(e);
    }

    @Test
    void madvise_of_an_unaligned_range_is_refused_counted_and_kept_not_thrown() {
        Mapping m = os.map(Os.PAGE_SIZE);
        try {
            assertThat(os.advise(m.address() + 1, 100, Advice.DONTNEED)).isFalse();
            OsException e = os.lastFailure();
            assertThat(e.errno()).isEqualTo(Errno.EINVAL);
            assertThat(e.getMessage()).contains("madvise").contains("MADV_DONTNEED");
            assertThat(os.failures(Syscall.MADVISE)).isEqualTo(1);
            assertThat(os.syscalls().count(Syscall.MADVISE)).isZero();
        } finally {
            os.unmap(m);
        }
    }

    @Test
    void unmapping_a_mapping_twice_is_a_bug_caught_before_any_call() {
        Mapping m = os.map(Os.PAGE_SIZE);
        os.unmap(m);
        assertThatThrownBy(() -> os.unmap(m)).isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
        assertThat(os.syscalls().count(Syscall.MUNMAP)).isEqualTo(1);
    }

    @Test
    void a_mapping_larger_than_physical_memory_fails_fast_with_no_call_made() {
        for (long size : new long[] {Os.MAX_MAPPING + 1, 16L << 40, 1L << 62, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> os.map(size)).isInstanceOf(OutOfNativeMemoryError.class)
                    .hasMessageContaining("physical memory");
            assertThatThrownBy(() -> os.mapAligned(size, 2L << 20)).isInstanceOf(OutOfNativeMemoryError.class);
        }
        assertThat(os.syscalls().count(Syscall.MMAP)).isZero();
        assertThat(os.mappingsLive()).isZero();
        assertThat(os.mappedBytes()).isZero();
    }

    @Test
    void the_hint_range_never_spins_on_a_request_larger_than_itself() {
        assertThat(AlignedHints.next(AlignedHints.HINT_END, 1L << 21)).isZero();
        assertThat(AlignedHints.next(Long.MAX_VALUE - (1L << 20), 1L << 21)).isZero();
    }

    @Test
    void the_cap_is_the_machines_memory_or_a_terabyte_when_it_is_unknown() {
        assertThat(Os.maxMapping(24L << 30)).isEqualTo(24L << 30);
        assertThat(Os.maxMapping(-1)).isEqualTo(1L << 40);
        assertThat(Os.MAX_MAPPING).isPositive();
    }

    @Test
    void a_barrier_is_counted_when_the_kernel_offers_it() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Os.BARRIER_AVAILABLE, "membarrier not available here");
        os.barrier();
        assertThat(os.syscalls().count(Syscall.MEMBARRIER)).isEqualTo(1);
    }

    @Test
    void dontneed_gives_zero_pages_back() {
        Mapping m = os.map(Os.PAGE_SIZE);
        Memory.putLong(m.address(), 42);
        os.advise(m.address(), Os.PAGE_SIZE, Advice.DONTNEED);
        assertThat(Memory.getLong(m.address())).isZero();
        os.unmap(m);
    }

    @Test
    void getrusage_counts_the_page_faults_of_touching_new_memory() {
        int pages = 256;
        Mapping m = os.map(pages * Os.PAGE_SIZE);
        ResourceUsage before = os.resourceUsage();
        for (int i = 0; i < pages; i++) {
            Memory.putByte(m.address() + i * Os.PAGE_SIZE, (byte) 1);
        }
        ResourceUsage delta = os.resourceUsage().since(before);
        os.unmap(m);
        assertThat(delta.minorFaults()).isGreaterThanOrEqualTo(pages / 2); // transparent huge pages may merge some
        assertThat(os.syscalls().count(Syscall.GETRUSAGE)).isEqualTo(2);
    }
}
