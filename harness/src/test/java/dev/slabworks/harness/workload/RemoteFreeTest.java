package dev.slabworks.harness.workload;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import dev.slabworks.harness.baseline.NativeAllocator;
import dev.slabworks.harness.baseline.NativeLibrary;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RemoteFreeTest {
    @Test
    void blocksMoveBetweenThreadsAndAllAreFreed() {
        RemoteFree w = (RemoteFree) Workloads.parse(List.of("remote-free", "3", "20000", "64", "99"));
        try (DirectOnlyAllocator a = new DirectOnlyAllocator(Knobs.defaults())) {
            Workload.Outcome o = w.run(a);
            StatsSnapshot s = a.stats();
            assertThat(o.ops()).isEqualTo(o.allocations() + o.frees());
            assertThat(o.allocations()).isGreaterThan(0);
            assertThat(s.get(Stat.ALLOCATIONS)).isEqualTo(s.get(Stat.FREES));
            assertThat(s.get(Stat.LIVE_BYTES)).isZero();
        }
    }

    @Test
    void runsOnANativeBaseline() {
        try (NativeAllocator glibc = new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            assertThat(new RemoteFree(2, 50_000, 256, 1).run(glibc).ops()).isGreaterThan(50_000);
        }
    }

    @Test
    void aBlockOverwrittenWhileLiveFailsTheRunNamingIt() {
        // hands out overlapping blocks from one arena and never frees: a later block's tag overwrites an earlier one's
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment area = arena.allocate(4096, 16);
            Allocator overlapping = new Allocator() {
                private long next;

                @Override
                public String name() {
                    return "overlapping";
                }

                @Override
                public long allocate(long size) {
                    return area.address() + (next++ % 4) * 16;
                }

                @Override
                public void free(long address) {
                    Memory.putLong(address, 0);
                }

                @Override
                public long usableSize(long address) {
                    return 16;
                }

                @Override
                public long reallocate(long address, long newSize) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Knobs knobs() {
                    return Knobs.defaults();
                }

                @Override
                public StatsSnapshot stats() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void close() {
                }
            };
            assertThatThrownBy(() -> new RemoteFree(1, 1000, 8, 5).run(overlapping))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("remote-free: block 0x").hasMessageContaining("corrupted");
            assertThat(new RemoteFree(1, 1000, 8, 5).runWithoutChecks(overlapping).ops())
                    .as("the same loop without its checks runs to the end").isBetween(999L, 1000L);
            overlapping.close();
        }
    }
}
