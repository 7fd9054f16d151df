package dev.slabworks.harness.workload;

import dev.slabworks.api.knobs.Knobs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DistMixedTest {
    @Test
    void appIsEightyFifteenFiveAndEverySizeIsInItsBucket() {
        SizeDistribution app = SizeDistribution.parse("app");
        SplitMix64 r = new SplitMix64(1234567);
        int n = 1_000_000;
        long[] bucket = new long[3];
        for (int i = 0; i < n; i++) {
            long size = app.size(r.next());
            assertThat(size).isBetween(16L, 32768L);
            bucket[size <= 256 ? 0 : size <= 2048 ? 1 : 2]++;
        }
        assertThat(bucket[0] / (double) n).isCloseTo(0.80, within(0.005));
        assertThat(bucket[1] / (double) n).isCloseTo(0.15, within(0.005));
        assertThat(bucket[2] / (double) n).isCloseTo(0.05, within(0.005));
        assertThat(app.maxSize()).isEqualTo(32768);
    }

    @Test
    void uniformReachesBothEndsAndNothingBeyond() {
        SizeDistribution d = SizeDistribution.parse("uniform:16:2048");
        SplitMix64 r = new SplitMix64(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1_000_000; i++) {
            long size = d.size(r.next());
            min = Math.min(min, size);
            max = Math.max(max, size);
        }
        assertThat(min).isEqualTo(16);
        assertThat(max).isEqualTo(2048);
    }

    @Test
    void aTrimixBucketOfWeightZeroIsNeverDrawn() {
        SizeDistribution d = SizeDistribution.parse("trimix:1:8:1:100:200:0:300:400:1");
        SplitMix64 r = new SplitMix64(9);
        for (int i = 0; i < 100_000; i++) {
            long size = d.size(r.next());
            assertThat(size < 100 || size > 200).as("size %d", size).isTrue();
        }
        assertThat(d.maxSize()).isEqualTo(400);
    }

    @Test
    void theLoopInStepsIsSlotDrawThenSizeDraw() {
        int iterations = 2 * RandomMixed.STEP + 5;
        int ws = 53;
        SizeDistribution app = SizeDistribution.parse("app");
        List<Long> expected = new ArrayList<>();
        boolean[] full = new boolean[ws];
        SplitMix64 r = new SplitMix64(77);
        for (int i = 0; i < iterations; i++) {
            int slot = (int) Long.remainderUnsigned(r.next(), ws);
            expected.add(full[slot] ? -1L : app.size(r.next()));
            full[slot] = !full[slot];
        }
        try (HakmemRandomMixedTest.Recording rec = new HakmemRandomMixedTest.Recording(Knobs.defaults())) {
            Workload.Outcome o = new DistMixed(iterations, ws, 77, app).run(rec);
            assertThat(rec.events.subList(0, iterations)).isEqualTo(expected);
            assertThat(o.ops()).isEqualTo(iterations);
            assertThat(o.allocations()).isEqualTo(expected.stream().filter(e -> e > 0).count());
            assertThat(rec.liveBlocks()).isZero();
        }
    }

    @Test
    void badDistributionsSayWhatIsAccepted() {
        assertThatThrownBy(() -> Workloads.parse(List.of("dist-mixed", "10", "400", "1", "zipf")))
                .hasMessage("dist-mixed: DIST 'zipf': accepted: " + SizeDistribution.FORMS);
        assertThatThrownBy(() -> SizeDistribution.parse("uniform:2048:16")).hasMessageContaining("0 <= LO <= HI");
        assertThatThrownBy(() -> SizeDistribution.parse("uniform:16")).hasMessageContaining("uniform takes MIN:MAX");
        assertThatThrownBy(() -> SizeDistribution.parse("uniform:16:x")).hasMessageContaining("'x' is not a whole number");
        assertThatThrownBy(() -> SizeDistribution.parse("trimix:1:2:0:3:4:0:5:6:0")).hasMessageContaining("add up to");
        assertThatThrownBy(() -> SizeDistribution.parse("trimix:1:2:3")).hasMessageContaining("LO1:HI1:W1");
        assertThatThrownBy(() -> Workloads.parse(List.of("dist-mixed", "10", "400", "1")))
                .hasMessageContaining("dist-mixed takes ITERS WS SEED DIST");
        assertThat(Workloads.parse(List.of("dist-mixed", "10", "400", "1", "app")).args())
                .containsExactly("10", "400", "1", "app");
    }
}
