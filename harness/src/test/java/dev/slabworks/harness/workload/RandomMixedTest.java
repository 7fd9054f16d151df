package dev.slabworks.harness.workload;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import dev.slabworks.harness.baseline.NativeAllocator;
import dev.slabworks.harness.baseline.NativeLibrary;
import dev.slabworks.harness.testing.CountingAllocator;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RandomMixedTest {
    @Test
    void anchorCMakesTheSameMallocsAndFreesAsTheCLoop() {
        RandomMixed anchor = (RandomMixed) Workloads.parse(List.of("random-mixed", "20000000", "4096", "1234567"));
        try (NativeAllocator glibc = new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            Workload.Outcome o = anchor.run(glibc);
            assertThat(o.allocations()).isEqualTo(10_001_036L);
            assertThat(o.frees()).isEqualTo(9_998_964L);
            assertThat(o.ops()).isEqualTo(20_000_000L);
        }
    }

    @Test
    void everyBlockIsFreedAndOnlyLiveBlocksAreFreed() {
        RandomMixed w = new RandomMixed(20_000, 64, 42, 0, 70_000);
        CountingAllocator counting = new CountingAllocator(new DirectOnlyAllocator(Knobs.defaults()));
        try (counting) {
            Workload.Outcome o = w.run(counting);
            assertThat(counting.liveBlocks()).isZero();
            assertThat(counting.allocations).isEqualTo(o.allocations());
            // the untimed clean-up frees what the loop left live
            assertThat(counting.frees).isEqualTo(counting.allocations).isGreaterThanOrEqualTo(o.frees());
            assertThat(o.allocations() + o.frees()).isEqualTo(20_000);
        }
    }

    @Test
    void theLoopCutIntoStepsMakesTheSameOpsInTheSameOrderAsOneLoop() {
        int iterations = 2 * RandomMixed.STEP + 17; // two whole steps and a partial one
        int ws = 97;
        long seed = 99;
        // the loop of the class comment in one piece; an event is an allocation's size, or for a free
        // -(1 + the number of the event that allocated the freed block)
        long[] expected = new long[iterations];
        int[] allocatedAt = new int[ws];
        java.util.Arrays.fill(allocatedAt, -1);
        SplitMix64 r = new SplitMix64(seed);
        for (int i = 0; i < iterations; i++) {
            int slot = (int) Long.remainderUnsigned(r.next(), ws);
            if (allocatedAt[slot] >= 0) {
                expected[i] = -(1 + allocatedAt[slot]);
                allocatedAt[slot] = -1;
            } else {
                expected[i] = 16 + Long.remainderUnsigned(r.next(), 1024 - 16 + 1);
                allocatedAt[slot] = i;
            }
        }
        long[] seen = new long[iterations];
        Map<Long, Integer> eventOf = new HashMap<>();
        int[] events = {0};
        CountingAllocator recording = new CountingAllocator(new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            @Override
            public long allocate(long size) {
                long p = super.allocate(size);
                eventOf.put(p, events[0]);
                seen[events[0]++] = size;
                return p;
            }

            @Override
            public void free(long address) {
                if (events[0] < iterations) { // not the untimed clean-up
                    seen[events[0]++] = -(1 + eventOf.get(address));
                }
                super.free(address);
            }
        };
        try (recording) {
            Workload.Outcome o = new RandomMixed(iterations, ws, seed, 16, 1024).run(recording);
            assertThat(events[0]).isEqualTo(iterations);
            assertThat(seen).isEqualTo(expected);
            assertThat(o.allocations()).isEqualTo(java.util.Arrays.stream(expected).filter(e -> e > 0).count());
            assertThat(o.allocations() + o.frees()).isEqualTo(iterations);
            assertThat(recording.liveBlocks()).isZero();
        }
    }

    @Test
    void sameSeedSameSequenceOtherSeedOther() {
        RandomMixed a = new RandomMixed(10_000, 128, 7, 16, 1024);
        RandomMixed b = new RandomMixed(10_000, 128, 8, 16, 1024);
        try (NativeAllocator glibc = new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            assertThat(a.run(glibc).allocations()).isEqualTo(a.run(glibc).allocations());
            assertThat(a.run(glibc).allocations()).isNotEqualTo(b.run(glibc).allocations());
        }
    }

    @Test
    void splitMixMatchesTheReferenceOutputForSeedZero() {
        // the first outputs of splitmix64 from state 0, as published with the algorithm (Vigna, prng.di.unimi.it)
        SplitMix64 r = new SplitMix64(0);
        assertThat(r.next()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(r.next()).isEqualTo(0x6E789E6AA1B965F4L);
    }

    @Test
    void argumentsAreCheckedWithTheirNames() {
        assertThatThrownBy(() -> Workloads.parse(List.of("random-mixed", "10", "0", "1")))
                .hasMessageContaining("WS must be");
        assertThatThrownBy(() -> Workloads.parse(List.of("random-mixed", "10", "5")))
                .hasMessageContaining("ITERS WS SEED [MIN MAX]");
        assertThatThrownBy(() -> Workloads.parse(List.of("random-mixed", "10", "5", "1", "100", "10")))
                .hasMessageContaining("MIN <= MAX");
        assertThatThrownBy(() -> Workloads.parse(List.of("cache-scratch")))
                .hasMessageContaining("unknown workload 'cache-scratch'").hasMessageContaining("random-mixed ITERS");
    }
}
