package dev.slabworks.api.heap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PaddedCellTest {
    private static final int LINE = 64;

    @Test
    void aLongCellHasAWholeCacheLineOfUnusedElementsBeforeItAndTheArrayEndsALineAfterIt() {
        long[] cell = PaddedCell.longs();
        assertThat((long) PaddedCell.LONG * Long.BYTES).isGreaterThanOrEqualTo(LINE);
        // bytes after the cell up to the array's end, plus the cell itself: a line starting at the cell fits
        assertThat((long) (cell.length - PaddedCell.LONG) * Long.BYTES).isGreaterThanOrEqualTo(LINE);
    }

    @Test
    void anIntCellHasAWholeCacheLineOfUnusedElementsBeforeItAndTheArrayEndsALineAfterIt() {
        int[] cell = PaddedCell.ints();
        assertThat((long) PaddedCell.INT * Integer.BYTES).isGreaterThanOrEqualTo(LINE);
        assertThat((long) (cell.length - PaddedCell.INT) * Integer.BYTES).isGreaterThanOrEqualTo(LINE);
    }

    @Test
    void theCellsStartAtZeroAndTakeTheirAtomicOperations() {
        long[] l = PaddedCell.longs();
        assertThat((long) PaddedCell.LONGS.getAndSet(l, PaddedCell.LONG, 7L)).isZero();
        assertThat(PaddedCell.LONGS.compareAndSet(l, PaddedCell.LONG, 7L, 9L)).isTrue();
        assertThat(l[PaddedCell.LONG]).isEqualTo(9L);
        int[] i = PaddedCell.ints();
        assertThat(PaddedCell.INTS.compareAndSet(i, PaddedCell.INT, 0, 5)).isTrue();
        assertThat(i[PaddedCell.INT]).isEqualTo(5);
    }
}
