package dev.slabworks.testkit.contract;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.api.validate.ValidationMode;
import dev.slabworks.testkit.campaign.Foreign;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The contract's invalid frees: a foreign, interior, second or stale free (and a reallocate of such an address)
 * is rejected with the right {@link Kind}, in every validation mode, and changes nothing: the live blocks keep
 * their contents and no new block overlaps them. Part of {@link AllocatorContractTest}, which implements it, so
 * these tests run in every configuration of every strategy's contract suite.
 */
public interface InvalidFreeContract {
    /** The knobs of this run's configuration. */
    Knobs knobs();

    /** A new allocator of the strategy under test, closed after the test. */
    Allocator newAllocator(Knobs k);

    /** What a second free of a block may be called in this configuration (see {@link AllocatorContractTest.Configuration}). */
    Kind[] secondFreeKinds();

    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    default void foreign_addresses_are_rejected_as_foreign_and_change_nothing(ValidationMode mode) {
        Allocator a = newAllocator(knobs().with(Knob.VALIDATION, mode));
        LiveSet live = LiveSet.populate(a, 300);
        try (Foreign foreign = new Foreign()) {
            for (long hostile : foreign.all()) {
                StatsSnapshot before = a.stats();
                InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(hostile));
                assertThat(e).as("free(0x%x) in %s", hostile, mode).isNotNull();
                assertThat(e.kind()).as("free(0x%x) in %s", hostile, mode).isEqualTo(Kind.FOREIGN);
                assertThat(e.address()).isEqualTo(hostile);
                live.assertNothingChanged(a, before, Kind.FOREIGN);
                assertThat(catchThrowableOfType(InvalidFreeException.class, () -> a.usableSize(hostile)).kind())
                        .isEqualTo(Kind.FOREIGN);
            }
        }
        live.assertNoNewBlockOverlaps(a);
        live.freeAll(a);
    }

    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    default void an_address_inside_a_live_block_is_rejected_as_interior_and_changes_nothing(ValidationMode mode) {
        Allocator a = newAllocator(knobs().with(Knob.VALIDATION, mode));
        LiveSet live = LiveSet.populate(a, 300);
        for (long size : new long[] {64, 200, 3000, 30_000, 200_000}) {
            long p = a.allocate(size);
            live.add(p, size);
            for (long off : new long[] {1, 8, 16, 32, size / 2, size - 1}) {
                StatsSnapshot before = a.stats();
                InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(p + off));
                assertThat(e).as("free(p + %d) of a %d-byte block in %s", off, size, mode).isNotNull();
                assertThat(e.kind()).as("free(p + %d) of a %d-byte block in %s", off, size, mode).isEqualTo(Kind.INTERIOR);
                live.assertNothingChanged(a, before, Kind.INTERIOR);
            }
        }
        live.assertNoNewBlockOverlaps(a);
        live.freeAll(a);
    }

    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    default void a_second_free_is_rejected_as_double_free_and_changes_nothing(ValidationMode mode) {
        Allocator a = newAllocator(knobs().with(Knob.VALIDATION, mode));
        LiveSet live = LiveSet.populate(a, 300);
        for (long size : new long[] {0, 16, 64, 1000, 4096, 32768}) {
            long p = a.allocate(size);
            a.free(p);
            StatsSnapshot before = a.stats();
            InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(p));
            assertThat(e).as("second free of a %d-byte block in %s", size, mode).isNotNull();
            assertThat(e.kind()).as("second free of a %d-byte block in %s", size, mode).isIn((Object[]) secondFreeKinds());
            live.assertNothingChanged(a, before, e.kind());
        }
        live.assertNoNewBlockOverlaps(a);
        live.freeAll(a);
    }

    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    default void a_freed_block_whose_memory_was_unmapped_is_rejected_and_changes_nothing(ValidationMode mode) {
        Allocator a = newAllocator(knobs().with(Knob.VALIDATION, mode).with(Knob.DIRECT_CACHE_COUNT, 0));
        LiveSet live = LiveSet.populate(a, 300);
        long huge = a.allocate(4 << 20); // above every size class: its own mapping, unmapped on free (no cache)
        a.free(huge);
        assertThat(a.stats().get(Stat.SYSCALL_MUNMAP)).isPositive();
        StatsSnapshot before = a.stats();
        InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(huge));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isIn(Kind.FOREIGN, Kind.DOUBLE_FREE);
        live.assertNothingChanged(a, before, e.kind());
        live.assertNoNewBlockOverlaps(a);
        live.freeAll(a);
    }

    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    default void a_freed_block_kept_in_the_direct_mapping_cache_is_a_double_free_until_handed_out_again(ValidationMode mode) {
        Allocator a = newAllocator(knobs().with(Knob.VALIDATION, mode));
        LiveSet live = LiveSet.populate(a, 300);
        long huge = a.allocate(4 << 20);
        a.free(huge); // kept mapped for reuse, not live
        StatsSnapshot before = a.stats();
        InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.free(huge));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(Kind.DOUBLE_FREE);
        live.assertNothingChanged(a, before, e.kind());
        long again = a.allocate(4 << 20);
        assertThat(a.stats().get(Stat.SYSCALL_MMAP)).isEqualTo(before.get(Stat.SYSCALL_MMAP)); // reused
        assertThat(again).isEqualTo(huge);
        Patterns.fill(again, 4 << 20);
        a.free(again);
        live.assertNoNewBlockOverlaps(a);
        live.freeAll(a);
    }

    @Test
    default void reallocate_of_an_invalid_address_is_rejected_and_changes_nothing() {
        Allocator a = newAllocator(knobs());
        LiveSet live = LiveSet.populate(a, 100);
        long p = a.allocate(64);
        a.free(p);
        StatsSnapshot before = a.stats();
        InvalidFreeException e = catchThrowableOfType(InvalidFreeException.class, () -> a.reallocate(p, 128));
        assertThat(e.kind()).isIn((Object[]) secondFreeKinds());
        live.assertNothingChanged(a, before, e.kind());
        live.freeAll(a);
    }
}
