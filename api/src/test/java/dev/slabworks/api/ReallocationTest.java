package dev.slabworks.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.api.sizeclass.SizeClasses;
import org.junit.jupiter.api.Test;

class ReallocationTest {
    @Test
    void a_small_block_stays_only_within_its_size_class() {
        long usable = SizeClasses.size(SizeClasses.classOf(100));
        assertThat(Reallocation.fitsInPlace(usable, usable, 0)).isTrue();
        assertThat(Reallocation.fitsInPlace(usable, usable - 1, 0)).isTrue();
        assertThat(Reallocation.fitsInPlace(usable, usable + 1, 0)).isFalse();
        assertThat(Reallocation.fitsInPlace(usable, 16, 0)).isFalse();
    }

    @Test
    void a_direct_mapping_stays_when_the_new_size_is_still_direct_and_needs_at_least_half_of_it() {
        long usable = 1L << 20;
        assertThat(Reallocation.fitsInPlace(usable, usable, 0)).isTrue();
        assertThat(Reallocation.fitsInPlace(usable, usable / 2, 0)).isTrue();
        assertThat(Reallocation.fitsInPlace(usable, usable / 2 - 1, 0)).isFalse();
        assertThat(Reallocation.fitsInPlace(usable, SizeClasses.MAX_SIZE, 0)).isFalse();
        assertThat(Reallocation.fitsInPlace(usable, usable + 1, 0)).isFalse();
    }

    @Test
    void with_growth_a_direct_block_stays_down_to_half_its_size_over_the_growth() {
        long usable = 3 * 200_000L; // a move to 200,000 asked for 300,000 and the cache handed it twice that
        assertThat(Reallocation.fitsInPlace(usable, 208_192, 50)).as("the next growth step").isTrue();
        assertThat(Reallocation.fitsInPlace(usable, 200_000, 50)).isTrue();
        assertThat(Reallocation.fitsInPlace(usable, 199_999, 50)).isFalse();
        assertThat(Reallocation.fitsInPlace(usable, 208_192, 0)).as("without growth: half").isFalse();
        assertThat(Reallocation.fitsInPlace(1_000_000, 100_000, 400)).isTrue();
        assertThat(Reallocation.fitsInPlace(1_000_000, 99_999, 400)).isFalse();
        assertThat(Reallocation.fitsInPlace(Long.MAX_VALUE, Long.MAX_VALUE / 5, 400)).as("no overflow").isTrue();
        assertThat(Reallocation.fitsInPlace(1_000_000, 500_000, -100)).as("negative growth reads as none").isTrue();
        assertThat(Reallocation.fitsInPlace(1_000_000, 499_999, -100)).isFalse();
    }

    @Test
    void a_negative_size_never_fits() {
        assertThat(Reallocation.fitsInPlace(1L << 20, -1, 0)).isFalse();
        assertThat(Reallocation.fitsInPlace(64, -1, 0)).isFalse();
    }

    /**
     * In place never means a block smaller than asked, nor one more than twice (direct) times the growth, or a class
     * too big.
     */
    @FuzzTest(maxDuration = "5s")
    void in_place_always_holds_the_new_size_and_wastes_bounded_room(long usableSeed, long newSizeSeed) {
        long usable = SizeClasses.isSmall(Math.floorMod(usableSeed, 2L * SizeClasses.MAX_SIZE))
                ? SizeClasses.size(SizeClasses.classOf(Math.floorMod(usableSeed, SizeClasses.MAX_SIZE + 1L)))
                : Math.floorMod(usableSeed, 1L << 30) + SizeClasses.MAX_SIZE + 1;
        long newSize = Math.floorMod(newSizeSeed, 2 * usable + 2) - 1;
        int growth = Math.floorMod((int) (usableSeed ^ newSizeSeed), 401);
        if (Reallocation.fitsInPlace(usable, newSize, growth)) {
            assertThat(newSize).isBetween(0L, usable);
            if (SizeClasses.isSmall(usable)) {
                assertThat(SizeClasses.size(SizeClasses.classOf(newSize))).isEqualTo(usable);
            } else {
                assertThat(2 * newSize * (100 + growth) / 100 + 1).isGreaterThanOrEqualTo(usable);
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
        assertThat(Reallocation.moveSize(16, Long.MAX_VALUE - 10, 50)).as("saturates").isEqualTo(Long.MAX_VALUE);
        assertThat(Reallocation.moveSize(16, 4_700_000_000_000_000_000L, 400)).as("saturates").isEqualTo(Long.MAX_VALUE);
        assertThat(Reallocation.moveSize(16, direct, -5)).as("no negative growth").isEqualTo(direct);
        assertThat(Reallocation.moveSize(16, 1_000_003, 400)).isEqualTo(5_000_015);
    }
}
