package dev.slabworks.api.os;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

class ResidentBytesTest {
    private final Os os = new Os();

    @Test
    void a_new_mapping_is_not_resident_until_its_pages_are_written() {
        Mapping m = os.map(64 * Os.PAGE_SIZE);
        assertThat(os.residentBytes()).isZero();
        for (int page = 0; page < 64; page += 4) {
            Memory.putByte(m.address() + page * Os.PAGE_SIZE + 100, (byte) 1);
        }
        assertThat(os.residentBytes()).isEqualTo(16 * Os.PAGE_SIZE);
        os.unmap(m);
    }

    @Test
    void pages_given_back_with_dontneed_and_mappings_released_no_longer_count() {
        Mapping a = os.map(32 * Os.PAGE_SIZE);
        Mapping b = os.mapAligned(2 << 20, 2 << 20);
        touch(a, 32);
        touch(b, 10);
        assertThat(os.residentBytes()).isEqualTo(42 * Os.PAGE_SIZE);
        os.advise(a.address(), 8 * Os.PAGE_SIZE, Advice.DONTNEED);
        assertThat(os.residentBytes()).isEqualTo(34 * Os.PAGE_SIZE);
        os.unmap(b);
        assertThat(os.residentBytes()).isEqualTo(24 * Os.PAGE_SIZE);
        os.unmap(a);
        assertThat(os.residentBytes()).isZero();
    }

    @Test
    void a_mapping_larger_than_one_mincore_vector_is_walked_whole() {
        long pages = Measurement.RESIDENCY_CHUNK_PAGES * 2L + 3;
        Mapping m = os.map(pages * Os.PAGE_SIZE);
        touch(m, pages);
        assertThat(os.residentBytes()).isEqualTo(pages * Os.PAGE_SIZE);
        assertThat(os.measurementSyscalls().count(Syscall.MINCORE)).isEqualTo(3);
        os.unmap(m);
    }

    @Test
    void the_walk_is_counted_apart_from_the_calls_the_allocator_made() {
        Mapping m = os.map(4 * Os.PAGE_SIZE);
        long before = os.syscalls().totalCount();
        os.residentBytes();
        os.residentBytes();
        assertThat(os.syscalls().totalCount()).isEqualTo(before);
        assertThat(os.measurementSyscalls().count(Syscall.MINCORE)).isEqualTo(2);
        os.unmap(m);
    }

    @Test
    void only_this_instances_mappings_count() {
        Os other = new Os();
        Mapping theirs = other.map(8 * Os.PAGE_SIZE);
        touch(theirs, 8);
        Mapping ours = os.map(8 * Os.PAGE_SIZE);
        touch(ours, 3);
        assertThat(os.residentBytes()).isEqualTo(3 * Os.PAGE_SIZE);
        assertThat(other.residentBytes()).isEqualTo(8 * Os.PAGE_SIZE);
        other.unmap(theirs);
        os.unmap(ours);
    }

    @Test
    void resident_pages_are_read_from_bit_zero_of_each_vector_byte() {
        MemorySegment v = Arena.ofAuto().allocate(19);
        byte[] marks = {1, 0, 1, 3, 2, 0, 0, 1, 1, 1, 0, (byte) 0xff, (byte) 0xfe, 1, 0, 0, 1, 0, 1};
        for (int i = 0; i < marks.length; i++) {
            v.set(ValueLayout.JAVA_BYTE, i, marks[i]);
        }
        assertThat(Measurement.residentPages(v, 19)).isEqualTo(10);
        assertThat(Measurement.residentPages(v, 8)).isEqualTo(4);
        assertThat(Measurement.residentPages(v, 3)).isEqualTo(2);
    }

    private static void touch(Mapping m, long pages) {
        for (long p = 0; p < pages; p++) {
            Memory.putByte(m.address() + p * Os.PAGE_SIZE, (byte) 1);
        }
    }
}
