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

    @Test
    void a_move_to_a_larger_direct_size_asks_for_the_growth_on_top_and_nothing_else_does() {
        long direct = SizeClasses.MAX_SIZE + 1;
        assertThat(Reallocation.moveSize(100, 100_000, 50)).isEqualTo(150_000);
        assertThat(Reallocation.moveSize(100_000, 300_001, 50)).isEqualTo(450_001);
        assertThat(Reallocation.moveSize(100, direct, 0)).as("growth off").isEqualTo(direct);
        assertThat(Reallocation.moveSize(200_000, 100_000, 50)).as("a shrink").isEqualTo(100_000);
        assertThat(Reallocation.moveSize(16, 1000, 50)).as("a small size").isEqualTo(1000);
        assertThat(Reallocation.moveSize(16, Long.MAX_VALUE - 10, 50)).as("no overflow").isEqualTo(Long.MAX_VALUE - 10);
        assertThat(Reallocation.moveSize(16, 1_000_003, 400)).isEqualTo(5_000_015);
    }
}
