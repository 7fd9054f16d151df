package dev.slabworks.testkit.campaign;

import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.Os;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link BlockContents} sees a change of any single byte of a block, and nothing outside it. */
class BlockContentsTest {
    @Test
    void a_filled_block_is_intact_and_any_changed_byte_is_found_at_its_offset() {
        Os os = new Os();
        Mapping m = os.map(8192);
        try {
            long p = m.address() + 16;
            for (long size : new long[] {0, 1, 7, 8, 9, 15, 16, 100, 1023, 4000}) {
                BlockContents.fill(p, size, size * 31);
                assertThat(BlockContents.intact(p, size, size * 31)).isTrue();
                assertThat(size == 0 || !BlockContents.intact(p, size, size * 31 + 1)).as("another seed, size %d", size).isTrue();
                for (long at = 0; at < size; at += Math.max(1, size / 7)) {
                    Memory.putByte(p + at, (byte) (Memory.getByte(p + at) ^ 0x10));
                    assertThat(BlockContents.firstMismatch(p, size, size * 31)).isEqualTo(at);
                    Memory.putByte(p + at, (byte) (Memory.getByte(p + at) ^ 0x10));
                }
                Memory.putByte(p + size, (byte) 0x5A); // just past the block: not its business
                assertThat(BlockContents.intact(p, size, size * 31)).isTrue();
            }
        } finally {
            os.unmap(m);
        }
    }
}
