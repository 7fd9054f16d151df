package dev.slabworks.harness.baseline;

import dev.slabworks.api.MemoryUse;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NativeAllocatorTest {
    @Test
    void glibcAllocatesAlignedUsableBlocksAndReallocKeepsContents() {
        try (NativeAllocator glibc = new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            long p = glibc.allocate(100);
            assertThat(p % 16).isZero();
            assertThat(glibc.usableSize(p)).isGreaterThanOrEqualTo(100);
            for (int i = 0; i < 100; i++) {
                Memory.putByte(p + i, (byte) i);
            }
            long q = glibc.reallocate(p, 100_000);
            for (int i = 0; i < 100; i++) {
                assertThat(Memory.getByte(q + i)).isEqualTo((byte) i);
            }
            glibc.free(q);
            assertThat(glibc.allocate(0)).isNotZero();
        }
    }

    @Test
    void everyBaselineIsEitherUsableOrSaysWhyNot() {
        for (NativeLibrary lib : NativeLibrary.values()) {
            String reason = lib.unavailableReason();
            if (reason == null) {
                try (NativeAllocator a = new NativeAllocator(lib, Knobs.defaults())) {
                    long p = a.allocate(48);
                    assertThat(a.usableSize(p)).as(lib.baselineName()).isGreaterThanOrEqualTo(48);
                    a.free(p);
                }
            } else if (!lib.installed()) {
                assertThat(reason).startsWith("not installed").contains(lib.debianPackage());
            } else {
                assertThat(reason).startsWith("installed, but cannot be loaded").contains("GLIBC_TUNABLES");
            }
        }
        assertThat(NativeLibrary.GLIBC.unavailableReason()).isNull();
    }

    @Test
    void everyAvailableBaselineCountsTheMemoryItHoldsInItsOwnStatistics() {
        long block = 60 << 10; // below glibc's mmap threshold: from its arenas
        int count = 1100;      // 64 MiB: more than a mimalloc segment it may already hold committed
        for (NativeLibrary lib : NativeLibrary.values()) {
            if (lib.unavailableReason() != null) {
                continue;
            }
            try (NativeAllocator a = new NativeAllocator(lib, Knobs.defaults())) {
                long[] blocks = new long[count];
                for (int i = 0; i < count; i++) {
                    blocks[i] = a.allocate(block);
                    for (long at = 0; at < block; at += 4096) {
                        Memory.putByte(blocks[i] + at, (byte) 1);
                    }
                }
                MemoryUse held = a.memoryUse();
                assertThat(held.residentBytes()).as(lib.baselineName() + ": " + held.source())
                        .isGreaterThanOrEqualTo((long) (0.9 * block * count));
                assertThat(held.source()).isNotBlank();
                for (long p : blocks) {
                    a.free(p);
                }
                a.trim();
                assertThat(a.memoryUse().residentBytes()).as(lib.baselineName() + " after free and trim")
                        .isLessThan(held.residentBytes());
            }
        }
    }
}
