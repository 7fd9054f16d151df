package dev.slabworks.harness.baseline;

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
}
