package dev.slabworks.harness.workload;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.OutOfNativeMemoryError;
import dev.slabworks.harness.baseline.NativeAllocator;
import dev.slabworks.harness.baseline.NativeLibrary;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.testing.CountingAllocator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seed benchmark's loop against the counts of the C original (the vectors of DESIGN.md section 9). */
class HakmemRandomMixedTest {
    static final HakmemRandomMixed SEED_RUN = (HakmemRandomMixed) Workloads.parse(
            List.of("hakmem-random-mixed", "200000", "4096", "1234567"));

    /** Every allocation's size (positive) and every free (-1), in order, over glibc. */
    static final class Recording extends CountingAllocator {
        final List<Long> events = new ArrayList<>();

        Recording(Knobs knobs) {
            super(new NativeAllocator(NativeLibrary.GLIBC, knobs));
        }

        @Override
        public long allocate(long size) {
            events.add(size);
            return super.allocate(size);
        }

        @Override
        public void free(long address) {
            events.add(-1L);
            super.free(address);
        }

        long allocationsIn(int from, int to) {
            return events.subList(from, to).stream().filter(e -> e > 0).count();
        }

        long bigAllocationsIn(int from, int to) {
            return events.subList(from, to).stream().filter(e -> e >= 1024).count();
        }
    }

    @Test
    void withoutPrefaultTheLoopMakesTheCProgramsCounts() {
        try (Recording r = new Recording(Knobs.defaults().with(HarnessKnobs.BENCH_PREFAULT, 0))) {
            Workload.Outcome o = SEED_RUN.run(r);
            assertThat(o.counts()).containsEntry("prefaultAllocations", 0L).containsEntry("loopAllocations", 101_003L)
                    .containsEntry("loopFrees", 98_997L).containsEntry("drainFrees", 2_006L)
                    .containsEntry("failedAllocations", 0L);
            assertThat(r.bigAllocationsIn(0, 200_000)).isEqualTo(1_590);
            assertThat(r.allocationsIn(0, 200_000)).isEqualTo(101_003);
            // the drain is part of the timed run: its frees are the outcome's too
            assertThat(o.ops()).isEqualTo(200_000);
            assertThat(o.frees()).isEqualTo(98_997 + 2_006);
            assertThat(r.allocations).isEqualTo(101_003);
            assertThat(r.liveBlocks()).isZero();
        }
    }

    @Test
    void theDefaultPrefaultIsATenthOfTheCyclesFromItsOwnSeedAndStaysLive() {
        try (Recording r = new Recording(Knobs.defaults())) {
            Workload.Outcome o = SEED_RUN.run(r);
            assertThat(SEED_RUN.phases(Knobs.defaults()).prefault()).isEqualTo(20_000);
            assertThat(o.counts()).containsEntry("prefaultAllocations", 11_046L).containsEntry("prefaultFrees", 8_954L)
                    .containsEntry("loopAllocations", 100_000L).containsEntry("loopFrees", 100_000L)
                    .containsEntry("drainFrees", 2_092L);
            // prefault: events 0..20,000; the loop: the next 200,000; then the drain
            assertThat(r.allocationsIn(0, 20_000)).isEqualTo(11_046);
            assertThat(r.allocationsIn(20_000, 220_000)).isEqualTo(100_000);
            assertThat(r.bigAllocationsIn(20_000, 220_000)).isEqualTo(1_574);
            assertThat(r.events.size() - 220_000).isEqualTo(2_092);
            assertThat(r.allocations).isEqualTo(111_046);
            assertThat(r.liveBlocks()).isZero();
        }
    }

    @Test
    void theLoopInStepsIsXorshift32OneDrawPerIterationWithTheClamp() {
        int cycles = 2 * RandomMixed.STEP + 33; // two whole steps and a partial one
        int ws = 61;
        long min = 100;
        long max = 900;
        // the loop of the class comment in one piece, on a model of the slots
        List<Long> expected = new ArrayList<>();
        boolean[] full = new boolean[ws];
        int x = (int) 3_000_000_000L;
        for (int i = 0; i < cycles; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            int slot = (int) (Integer.toUnsignedLong(x) % ws);
            if (full[slot]) {
                expected.add(-1L);
            } else {
                expected.add(Math.min(Math.max(16 + (x & 0x3FF), min), max));
            }
            full[slot] = !full[slot];
        }
        HakmemRandomMixed w = new HakmemRandomMixed(cycles, ws, (int) 3_000_000_000L, min, max);
        try (Recording r = new Recording(Knobs.defaults().with(HarnessKnobs.BENCH_PREFAULT, 0))) {
            w.run(r);
            assertThat(r.events.subList(0, cycles)).isEqualTo(expected);
            assertThat(r.events).contains(min, max);
        }
    }

    @Test
    void theWarmUpUsesTheLoopsSeedAndIsDrainedBeforeTheLoop() {
        Knobs knobs = Knobs.defaults().with(HarnessKnobs.BENCH_PREFAULT, 0).with(HarnessKnobs.BENCH_WARMUP, 50_000);
        try (Recording r = new Recording(knobs)) {
            Workload.Outcome o = SEED_RUN.run(r);
            long warmupAllocations = (long) o.counts().get("warmupAllocations");
            assertThat(warmupAllocations).isPositive();
            // same seed as the loop: its first 50,000 events are the loop's first 50,000, then the drain of what is live
            List<Long> warmup = r.events.subList(0, 50_000);
            int loopStart = r.events.size() - 200_000 - 2_006;
            assertThat(r.events.subList(loopStart, loopStart + 50_000)).isEqualTo(warmup);
            assertThat(o.counts()).containsEntry("loopAllocations", 101_003L).containsEntry("drainFrees", 2_006L);
            assertThat(r.allocations).isEqualTo(warmupAllocations + 101_003);
            assertThat(r.liveBlocks()).isZero();
        }
    }

    @Test
    void theFixedSizeModesPinEverySizeAndC5WinsOverC7() {
        Map<Knob, Long> modes = Map.of(HarnessKnobs.BENCH_C5_ONLY, 256L, HarnessKnobs.BENCH_C6_ONLY, 512L, HarnessKnobs.BENCH_C7_ONLY, 1024L);
        HakmemRandomMixed w = new HakmemRandomMixed(5_000, 64, 7, 16, 1039);
        modes.forEach((knob, size) -> {
            try (Recording r = new Recording(Knobs.defaults().with(knob, true))) {
                w.run(r);
                assertThat(r.events.stream().filter(e -> e > 0).distinct()).as(knob.key()).containsExactly(size);
            }
        });
        Knobs both = Knobs.defaults().with(HarnessKnobs.BENCH_C7_ONLY, true).with(HarnessKnobs.BENCH_C5_ONLY, true);
        assertThat(w.phases(both).min()).isEqualTo(256);
        assertThat(w.phases(both).max()).isEqualTo(256);
    }

    @Test
    void theSeedsEnvironmentNamesSetThePhases() {
        Map<String, String> env = new HashMap<>(Map.of("HAKMEM_BENCH_PREFAULT", "0", "HAKMEM_BENCH_WARMUP", "10",
                "HAKMEM_BENCH_C6_ONLY", "1"));
        Knobs knobs = Knobs.resolve(Map.of(), key -> null, env::get);
        assertThat(SEED_RUN.phases(knobs)).isEqualTo(new HakmemRandomMixed.Phases(10, 0, 512, 512));
        assertThat(SEED_RUN.phases(Knobs.defaults())).isEqualTo(new HakmemRandomMixed.Phases(0, 20_000, 16, 1039));
    }

    @Test
    void aFailedAllocationLeavesItsSlotEmptyAndTheRunGoesOn() {
        int[] calls = {0};
        CountingAllocator failing = new CountingAllocator(new NativeAllocator(NativeLibrary.GLIBC,
                Knobs.defaults().with(HarnessKnobs.BENCH_PREFAULT, 0))) {
            @Override
            public long allocate(long size) {
                if (++calls[0] % 10 == 0) {
                    throw new OutOfNativeMemoryError("no memory for the tenth");
                }
                return super.allocate(size);
            }
        };
        try (failing) {
            Workload.Outcome o = new HakmemRandomMixed(10_000, 128, 5, 16, 1039).run(failing);
            long failed = (long) o.counts().get("failedAllocations");
            assertThat(failed).isEqualTo(calls[0] / 10);
            assertThat(o.allocations() + (long) o.counts().get("loopFrees") + failed).isEqualTo(10_000);
            assertThat(failing.liveBlocks()).isZero();
        }
    }

    @Test
    void argumentsAreCheckedWithTheirNames() {
        assertThatThrownBy(() -> Workloads.parse(List.of("hakmem-random-mixed", "10", "5")))
                .hasMessage("hakmem-random-mixed takes CYCLES WS SEED [MIN MAX] (2 arguments given)");
        assertThatThrownBy(() -> Workloads.parse(List.of("hakmem-random-mixed", "10", "5", "4294967296")))
                .hasMessageContaining("SEED must be 0..4294967295");
        assertThatThrownBy(() -> Workloads.parse(List.of("hakmem-random-mixed", "10", "5", "1", "0", "10")))
                .hasMessageContaining("1 <= MIN <= MAX");
        assertThat(Workloads.parse(List.of("hakmem-random-mixed", "10", "5", "4294967295")).args())
                .containsExactly("10", "5", "4294967295", "16", "1039");
    }

    @Test
    void aPrefaultBelowMinusOneIsAKnobError() {
        assertThatThrownBy(() -> Knobs.defaults().with(HarnessKnobs.BENCH_PREFAULT, -2))
                .hasMessageContaining("bench.prefault").hasMessageContaining("HAKMEM_BENCH_PREFAULT");
    }
}
