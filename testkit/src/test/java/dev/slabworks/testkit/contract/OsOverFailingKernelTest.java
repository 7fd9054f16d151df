package dev.slabworks.testkit.contract;

import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Errno;
import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.OsException;
import dev.slabworks.api.os.OutOfNativeMemoryError;
import dev.slabworks.api.os.Syscall;
import dev.slabworks.api.os.SyscallCause;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The OS layer's contract for failed calls (see {@link Os}), over a kernel that fails them on purpose. */
class OsOverFailingKernelTest {
    private static final long ALIGN = 2 << 20;

    private final FaultInjectingKernel kernel = new FaultInjectingKernel();
    private final Os os = new Os(kernel);

    @Test
    void a_refused_mmap_throws_out_of_native_memory_for_enomem_and_os_exception_otherwise_and_counts_no_call() {
        kernel.failNext(Syscall.MMAP, Errno.ENOMEM);
        OutOfNativeMemoryError oom = catchThrowableOfType(OutOfNativeMemoryError.class, () -> os.map(4096));
        assertThat(oom.getMessage()).startsWith("mmap(0x0, 4096, PROT_READ|PROT_WRITE").contains("ENOMEM (12)");
        assertThat(oom.getCause()).isInstanceOf(OsException.class);
        kernel.failNext(Syscall.MMAP, Errno.EPERM);
        OsException e = catchThrowableOfType(OsException.class, () -> os.mapAligned(ALIGN, ALIGN));
        assertThat(e.syscall()).isEqualTo(Syscall.MMAP);
        assertThat(e.errnoName()).isEqualTo("EPERM");
        assertThat(os.lastFailure()).isSameAs(e);
        assertThat(os.failures(Syscall.MMAP)).isEqualTo(2);
        assertThat(os.syscalls().count(Syscall.MMAP)).isZero();
        assertThat(os.mappedBytes()).isZero();
        assertThat(os.mappingsLive()).isZero();
        assertThat(kernel.mappingsHeld()).isZero();
    }

    @Test
    void a_refused_munmap_keeps_the_mapping_counted_and_the_next_release_retries_it() {
        Mapping a = os.map(4096);
        Mapping b = os.map(8192);
        kernel.failNext(Syscall.MUNMAP, Errno.EINVAL);
        assertThat(os.unmap(a)).isFalse();
        assertThat(os.isMapped(a.address())).as("still mapped").isTrue();
        assertThat(os.unreleasedMappings()).isEqualTo(1);
        assertThat(os.mappingsLive()).isEqualTo(2);
        assertThat(os.mappedBytes()).isEqualTo(4096 + 8192).isEqualTo(kernel.bytesHeld());
        assertThat(os.failures(Syscall.MUNMAP)).isEqualTo(1);
        assertThat(os.syscalls().count(Syscall.MUNMAP)).isZero();

        assertThat(os.unmap(b)).isTrue(); // and a's retry with it
        assertThat(os.unreleasedMappings()).isZero();
        assertThat(os.mappedBytes()).isZero();
        assertThat(kernel.mappingsHeld()).isZero();
        assertThat(os.syscalls().count(Syscall.MUNMAP)).isEqualTo(os.syscalls().count(Syscall.MMAP)).isEqualTo(2);
    }

    @Test
    void what_the_kernel_never_unmaps_is_named_by_require_all_released() {
        Mapping a = os.map(4096);
        kernel.pinNextMunmap(Errno.EINVAL);
        os.unmap(a);
        assertThat(os.retryUnreleased()).isEqualTo(1);
        assertThatThrownBy(os::requireAllReleased).isInstanceOf(OsException.class)
                .hasMessageStartingWith("1 mapping(s) of 4096 bytes in all could not be unmapped: munmap(0x")
                .hasMessageContaining("EINVAL");
        assertThatThrownBy(() -> os.unmap(a)).as("it is the OS layer's now, not the caller's")
                .isInstanceOf(IllegalStateException.class);
        kernel.recover();
        assertThat(os.retryUnreleased()).isZero();
        os.requireAllReleased();
        assertThat(kernel.mappingsHeld()).isZero();
    }

    @Test
    void a_misplaced_aligned_try_that_cannot_be_unmapped_is_kept_and_released_later() {
        FaultInjectingKernel misplacing = new FaultInjectingKernel(new MisplacingKernel());
        Os os = new Os(misplacing);
        misplacing.failNext(Syscall.MUNMAP, Errno.EINVAL); // the misplaced first try's munmap
        Mapping m = os.mapAligned(ALIGN, ALIGN);
        assertThat(m.address() % ALIGN).isZero();
        assertThat(m.reservedSize()).as("over-reserved on the second try").isEqualTo(ALIGN + ALIGN - Os.PAGE_SIZE);
        assertThat(os.unreleasedMappings()).isEqualTo(1);
        assertThat(os.mappingsLive()).isEqualTo(2);
        assertThat(os.mappedBytes()).isEqualTo(misplacing.bytesHeld());
        os.unmap(m);
        assertThat(misplacing.mappingsHeld()).isZero();
        assertThat(os.mappedBytes()).isZero();
        assertThat(os.syscalls().count(Syscall.MMAP)).isEqualTo(os.syscalls().count(Syscall.MUNMAP)).isEqualTo(2);
    }

    @Test
    void a_refused_madvise_returns_false_and_is_counted_not_thrown() {
        Mapping m = os.map(4096);
        kernel.failNext(Syscall.MADVISE, Errno.EAGAIN);
        assertThat(os.advise(m.address(), 4096, Advice.DONTNEED)).isFalse();
        assertThat(os.advise(m.address(), 4096, Advice.DONTNEED)).isTrue();
        assertThat(os.failures(Syscall.MADVISE)).isEqualTo(1);
        assertThat(os.syscalls().count(Syscall.MADVISE)).isEqualTo(1);
        assertThat(os.lastFailure().getMessage()).startsWith("madvise(0x").contains("MADV_DONTNEED").contains("EAGAIN");
        os.unmap(m);
    }

    @Test
    void mincore_answers_not_mapped_for_enomem_and_throws_for_any_other_errno() {
        kernel.failNext(Syscall.MINCORE, Errno.ENOMEM);
        assertThat(os.isMapped(4096)).isFalse();
        kernel.failNext(Syscall.MINCORE, Errno.EAGAIN);
        assertThat(catchThrowableOfType(OsException.class, () -> os.isMapped(4096)).syscall()).isEqualTo(Syscall.MINCORE);
        assertThat(os.failures(Syscall.MINCORE)).isEqualTo(1);
    }

    @Test
    void the_nth_call_fails_once_and_only_that_one() {
        kernel.failNth(Syscall.MMAP, 3, Errno.ENOMEM);
        Mapping a = os.map(4096);
        Mapping b = os.map(4096);
        assertThatThrownBy(() -> os.map(4096)).isInstanceOf(OutOfNativeMemoryError.class);
        Mapping c = os.map(4096);
        assertThat(kernel.calls(Syscall.MMAP)).isEqualTo(4);
        assertThat(kernel.injected(Syscall.MMAP)).isEqualTo(1);
        assertThat(kernel.succeeded(Syscall.MMAP)).isEqualTo(3);
        for (Mapping m : new Mapping[] {a, b, c}) {
            os.unmap(m);
        }
        assertThat(kernel.mappingsHeld()).isZero();
    }

    /**
     * Another thread's mmap may get a range back as soon as its munmap returns, before {@link Os#unmap} has updated
     * its own books; its {@link Mapping} then equals the released one (a record). Played in one thread: the kernel
     * maps again from inside the munmap, right after it unmapped.
     */
    @Test
    void a_range_the_kernel_hands_out_again_the_moment_it_is_released_stays_tracked() {
        Os[] self = new Os[1];
        Mapping[] second = new Mapping[1];
        Os reusing = new Os(new ForwardingKernel() {
            @Override
            public int munmap(long address, long length) {
                int rc = super.munmap(address, length);
                if (second[0] == null) {
                    second[0] = self[0].map(length); // at the address just freed, if the kernel likes it
                }
                return rc;
            }
        });
        self[0] = reusing;
        Mapping first = reusing.map(Os.PAGE_SIZE, SyscallCause.MID);
        assertThat(reusing.unmap(first, SyscallCause.MID)).isTrue();
        org.junit.jupiter.api.Assumptions.assumeTrue(second[0].equals(first), "the kernel placed the second elsewhere");
        assertThat(reusing.mappingsLive()).isEqualTo(1);
        assertThat(reusing.mappedBytes()).isEqualTo(Os.PAGE_SIZE);
        assertThat(reusing.unmap(second[0], SyscallCause.MID)).isTrue();
        assertThat(reusing.mappingsLive()).isZero();
        assertThat(reusing.syscalls().count(Syscall.MMAP)).isEqualTo(reusing.syscalls().count(Syscall.MUNMAP));
    }

    /** The C library's kernel, except that a hinted mmap is asked one page past its hint: never aligned. */
    private static final class MisplacingKernel extends ForwardingKernel {
        @Override
        public long mmap(long hint, long length) {
            return super.mmap(hint == 0 ? 0 : hint + Os.PAGE_SIZE, length);
        }
    }
}
