package dev.slabworks.api.sizeclass;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SizeClassesTest {
    @Test
    void classes_are_increasing_multiples_of_16_up_to_32_kib() {
        int prev = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            int s = SizeClasses.size(c);
            assertThat(s % 16).isZero();
            assertThat(s).isGreaterThan(prev);
            prev = s;
        }
        assertThat(SizeClasses.size(0)).isEqualTo(16);
        assertThat(SizeClasses.size(SizeClasses.COUNT - 1)).isEqualTo(SizeClasses.MAX_SIZE).isEqualTo(32 * 1024);
    }

    @Test
    void every_size_gets_the_smallest_class_that_holds_it_with_bounded_waste() {
        for (long size = 0; size <= SizeClasses.MAX_SIZE; size++) {
            int c = SizeClasses.classOf(size);
            int s = SizeClasses.size(c);
            assertThat(s).as("class of %d", size).isGreaterThanOrEqualTo((int) size);
            if (c > 0) {
                assertThat(SizeClasses.size(c - 1)).as("class below that of %d", size).isLessThan((int) size);
            }
            if (size > 128) {
                assertThat((double) s / size).as("overhead of %d", size).isLessThanOrEqualTo(1.25);
            } else {
                assertThat(s - Math.max(size, 1)).isLessThan(16);
            }
        }
    }

    @Test
    void is_small_is_false_for_negative_and_oversized_requests() {
        assertThat(SizeClasses.isSmall(0)).isTrue();
        assertThat(SizeClasses.isSmall(SizeClasses.MAX_SIZE)).isTrue();
        assertThat(SizeClasses.isSmall(SizeClasses.MAX_SIZE + 1)).isFalse();
        assertThat(SizeClasses.isSmall(-1)).isFalse();
    }

    @Test
    void block_index_equals_division_for_every_class_at_and_around_block_boundaries() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            long s = SizeClasses.size(c);
            for (long k = 0; k * s < SizeClasses.MAX_DIVIDEND; k += 1 + k / 64) {
                for (long off : new long[] {k * s, k * s + 1, k * s + s - 1}) {
                    if (off < SizeClasses.MAX_DIVIDEND) {
                        assertThat(SizeClasses.blockIndex(c, off)).as("%d / %d", off, s).isEqualTo((int) (off / s));
                    }
                }
            }
            long last = SizeClasses.MAX_DIVIDEND - 1;
            assertThat(SizeClasses.blockIndex(c, last)).isEqualTo((int) (last / s));
        }
    }
}
