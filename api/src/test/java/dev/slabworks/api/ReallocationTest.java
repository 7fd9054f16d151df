package dev.slabworks.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.api.sizeclass.SizeClasses;
import org.junit.jupiter.api.Test;

class ReallocationTest {
    @Test
    void a_small_block_stays_only_within_its_size_class() {
        long usable = SizeClasses.size(SizeClasses.classOf(100));
        assertThat(Reallocation.fitsInPlace(usable, usable)).isTrue();
        assertThat(Reallocation.fitsInPlace(usable, usable - 1)).isTrue();
        assertThat(Reallocation.fitsInPlace(usable, usable + 1)).isFalse();
        assertThat(Reallocation.fitsInPlace(usable, 16)).isFalse();
    }

    @Test
    void a_direct_mapping_stays_when_the_new_size_is_still_direct_and_needs_at_least_half_of_it() {
        long usable = 1L << 20;
        assertThat(Reallocation.fitsInPlace(usable, usable)).isTrue();
        assertThat(Reallocation.fitsInPlace(usable, usable / 2)).isTrue();
        assertThat(Reallocation.fitsInPlace(usable, usable / 2 - 1)).isFalse();
        assertThat(Reallocation.fitsInPlace(usable, SizeClasses.MAX_SIZE)).isFalse();
        assertThat(Reallocation.fitsInPlace(usable, usable + 1)).isFalse();
    }

    @Test
    void a_negative_size_never_fits() {
        assertThat(Reallocation.fitsInPlace(1L << 20, -1)).isFalse();
        assertThat(Reallocation.fitsInPlace(64, -1)).isFalse();
    }

    /** In place never means a block smaller than asked, nor one more than twice (direct) or a class too big. */
    @FuzzTest(maxDuration = "5s")
    void in_place_always_holds_the_new_size_and_wastes_bounded_room(long usableSeed, long newSizeSeed) {
        long usable = SizeClasses.isSmall(Math.floorMod(usableSeed, 2L * SizeClasses.MAX_SIZE))
                ? SizeClasses.size(SizeClasses.classOf(Math.floorMod(usableSeed, SizeClasses.MAX_SIZE + 1L)))
                : Math.floorMod(usableSeed, 1L << 30) + SizeClasses.MAX_SIZE + 1;
        long newSize = Math.floorMod(newSizeSeed, 2 * usable + 2) - 1;
        if (Reallocation.fitsInPlace(usable, newSize)) {
            assertThat(newSize).isBetween(0L, usable);
            if (SizeClasses.isSmall(usable)) {
                assertThat(SizeClasses.size(SizeClasses.classOf(newSize))).isEqualTo(usable);
            } else {
                assertThat(2 * newSize).isGreaterThanOrEqualTo(usable);
            }
        }
    }
}
