package dev.slabworks.harness.workload;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.baseline.NativeAllocator;
import dev.slabworks.harness.baseline.NativeLibrary;
import dev.slabworks.harness.testing.SharedLiveSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class LarsonAndXmallocTest {
    static SharedLiveSet glibc() {
        return new SharedLiveSet(new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults()));
    }

    @Test
    void larsonByGenerationsDoesRoundsTimesBlocksPerThreadAndHandsEachArrayOn() {
        Larson w = new Larson(2, 1_000_000_000, 8, 1000, 100, 5);
        try (SharedLiveSet a = glibc()) {
            Workload.Outcome o = w.runGenerations(a, 3);
            // every iteration frees the victim (the arrays start full) and allocates its successor
            assertThat(o.allocations()).isEqualTo(2 * 3 * 5 * 100);
            assertThat(o.frees()).isEqualTo(2 * 3 * 5 * 100);
            assertThat(o.ops()).isEqualTo(2 * 2 * 3 * 5 * 100);
            assertThat(o.counts()).containsEntry("threads", 6L);
            // the fill by the calling thread, then the churn: blocks freed by threads that did not allocate them
            assertThat(a.allocations.get()).isEqualTo(2 * 100 + 3000);
            assertThat(a.crossThreadFrees.get()).isGreaterThanOrEqualTo(2 * 100);
            assertThat(a.problems).isEmpty();
            assertThat(a.liveBlocks()).isZero();
            assertThat(a.sizes).allSatisfy(size -> assertThat(size).isBetween(8L, 1000L));
        }
    }

    @Test
    void larsonRunsForItsSecondsAndStopsEveryLane() {
        Larson w = (Larson) Workloads.parse(List.of("larson", "2", "0.2", "8", "1000", "200", "50"));
        assertThat(w.args()).containsExactly("2", "0.2", "8", "1000", "200", "50");
        try (SharedLiveSet a = glibc()) {
            Workload.Outcome o = w.run(a);
            assertThat(o.nanos()).isBetween(200_000_000L, 10_000_000_000L);
            assertThat(o.ops()).isPositive().isEqualTo(o.allocations() + o.frees());
            assertThat(o.counts().get("threads").longValue()).isGreaterThanOrEqualTo(2);
            assertThat(a.problems).isEmpty();
            assertThat(a.liveBlocks()).isZero();
        }
    }

    @Test
    void everyLaneCountsAtLeastOneIterationWhenItsSecondsEndBeforeItsThreadRuns() {
        // 512 threads on a machine of a few cores: many start only after the millisecond is over
        Larson w = (Larson) Workloads.parse(List.of("larson", "512", "0.001", "8", "1000", "50", "1"));
        Set<String> lanesThatFreed = ConcurrentHashMap.newKeySet();
        try (SharedLiveSet a = new SharedLiveSet(new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            @Override
            public void free(long address) {
                String thread = Thread.currentThread().getName(); // larson-LANE-GENERATION; the clean-up runs on this one
                if (thread.startsWith("larson-")) {
                    lanesThatFreed.add(thread.substring(0, thread.lastIndexOf('-')));
                }
                super.free(address);
            }
        }) {
            Workload.Outcome o = w.run(a);
            assertThat(lanesThatFreed).as("the arrays start full: a lane's first iteration frees").hasSize(512);
            assertThat(o.frees()).isGreaterThanOrEqualTo(512);
            assertThat(o.allocations()).isGreaterThanOrEqualTo(512);
            assertThat(a.problems).isEmpty();
            assertThat(a.liveBlocks()).isZero();
        }
    }

    @Test
    void aFillThatFailsFreesWhatItFilledAndRethrows() {
        Larson w = (Larson) Workloads.parse(List.of("larson", "4", "0.01", "8", "1000", "50", "1"));
        IllegalStateException refused = new IllegalStateException("no more");
        try (SharedLiveSet a = new SharedLiveSet(new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            @Override
            public long allocate(long size) {
                if (allocations.get() == 120) { // in the third lane's fill
                    throw refused;
                }
                return super.allocate(size);
            }
        }) {
            assertThatThrownBy(() -> w.run(a)).isSameAs(refused);
            assertThat(a.allocations.get()).isEqualTo(120);
            assertThat(a.liveBlocks()).as("the two lanes filled and the third's first twenty").isZero();
        }
    }

    @Test
    void larsonsSecondsAreCheckedWithTheirName() {
        for (String bad : List.of("0", "-1", "soon", "90000")) {
            assertThatThrownBy(() -> Workloads.parse(List.of("larson", "2", bad, "8", "1000", "200", "50")))
                    .as(bad).hasMessageContaining("SECONDS must be");
        }
        assertThatThrownBy(() -> Workloads.parse(List.of("larson", "2", "1", "8", "1000", "200")))
                .hasMessage("larson takes THREADS SECONDS MIN MAX BLOCKS_PER_THREAD ROUNDS (5 arguments given)");
    }

    @Test
    void xmallocFreesEveryBlockOnTheOtherThreadOfItsPair() {
        Xmalloc w = (Xmalloc) Workloads.parse(List.of("xmalloc", "2", "1000", "16", "256"));
        try (SharedLiveSet a = glibc()) {
            Workload.Outcome o = w.run(a);
            assertThat(o.allocations()).isEqualTo(2000);
            assertThat(o.frees()).isEqualTo(2000);
            assertThat(o.ops()).isEqualTo(4000);
            assertThat(a.crossThreadFrees.get()).isEqualTo(2000);
            assertThat(a.problems).isEmpty();
            assertThat(a.liveBlocks()).isZero();
            // each producer's sizes are its LCG's, whatever the interleaving
            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int x = 0x12345678 + i * 977;
                for (int n = 0; n < 1000; n++) {
                    x = x * 1664525 + 1013904223;
                    expected.add(16 + Integer.toUnsignedLong(x) % 241);
                }
            }
            assertThat(a.sizes).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void aFailingSideStopsTheOtherInsteadOfHangingIt() {
        AtomicLong calls = new AtomicLong();
        SharedLiveSet failing = new SharedLiveSet(new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            @Override
            public void free(long address) {
                if (calls.incrementAndGet() == 100) {
                    throw new IllegalStateException("the hundredth free fails");
                }
                super.free(address);
            }
        };
        try (failing) {
            assertThatThrownBy(() -> new Xmalloc(1, 100_000, 16, 64).run(failing))
                    .hasMessage("the hundredth free fails");
        }
    }

    @Test
    void xmallocArgumentsAreCheckedWithTheirNames() {
        assertThatThrownBy(() -> Workloads.parse(List.of("xmalloc", "2", "10", "64", "16")))
                .hasMessageContaining("1 <= MIN <= MAX");
        assertThatThrownBy(() -> Workloads.parse(List.of("xmalloc", "0", "10", "16", "64")))
                .hasMessageContaining("THREADS must be");
        try (SharedLiveSet a = glibc()) {
            assertThat(new Xmalloc(3, 0, 16, 64).run(a).ops()).isZero();
        }
    }
}
