package dev.slabworks.harness.workload;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.baseline.NativeAllocator;
import dev.slabworks.harness.baseline.NativeLibrary;
import dev.slabworks.harness.testing.SharedLiveSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class MtRemoteTest {
    /** What thread {@code i}'s draws decide, whichever way the threads interleave: its allocations, local frees and remote decisions. */
    static long[] model(MtRemote w, int i) {
        boolean[] full = new boolean[w.workingSet()];
        int x = 0x12345678 + i * 977;
        long allocations = 0;
        long local = 0;
        long remote = 0;
        for (long n = 0; n < w.iterations(); n++) {
            x = x * 1664525 + 1013904223;
            int slot = (int) (Integer.toUnsignedLong(x) % w.workingSet());
            x = x * 1664525 + 1013904223; // the size, drawn whatever the slot holds
            if (full[slot]) {
                if (w.threads() > 1) {
                    x = x * 1664525 + 1013904223;
                    if (Integer.toUnsignedLong(x) % 100 < w.remotePercent()) {
                        remote++;
                    } else {
                        local++;
                    }
                } else {
                    local++;
                }
            } else {
                allocations++;
            }
            full[slot] = !full[slot];
        }
        return new long[] {allocations, local, remote};
    }

    static SharedLiveSet glibc() {
        return new SharedLiveSet(new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults()));
    }

    static long count(Workload.Outcome o, String key) {
        return o.counts().get(key).longValue();
    }

    @Test
    void everyRemoteDecisionIsASendOrAFallbackAndEveryBlockIsFreedOnce() {
        MtRemote w = (MtRemote) Workloads.parse(List.of("mt-remote", "2", "20000", "64", "16", "2048", "90", "1"));
        try (SharedLiveSet a = glibc()) {
            Workload.Outcome o = w.run(a);
            long[] m0 = model(w, 0);
            long[] m1 = model(w, 1);
            assertThat(count(o, "allocations")).isEqualTo(m0[0] + m1[0]);
            assertThat(count(o, "localFrees")).isEqualTo(m0[1] + m1[1]);
            assertThat(count(o, "remoteSends") + count(o, "remoteFallbacks")).isEqualTo(m0[2] + m1[2]);
            // a one-slot ring is full whenever its reader is behind: some remote decisions fall back
            assertThat(count(o, "remoteFallbacks")).isPositive();
            assertThat(count(o, "receivedFrees")).isLessThanOrEqualTo(count(o, "remoteSends"));
            assertThat(o.ops()).isEqualTo(2 * 20000 + count(o, "receivedFrees"));
            assertThat(a.crossThreadFrees.get()).isGreaterThanOrEqualTo(count(o, "receivedFrees"));
            assertThat(a.problems).isEmpty();
            assertThat(a.liveBlocks()).isZero();
            assertThat(a.sizes).allSatisfy(size -> assertThat(size).isBetween(16L, 2048L));
        }
    }

    @Test
    void theRemoteShareIsTheSendsOverEveryEmptiedSlot() {
        MtRemote w = new MtRemote(2, 20000, 64, 16, 64, 100, MtRemote.DEFAULT_RING_SLOTS);
        try (SharedLiveSet a = glibc()) {
            Workload.Outcome o = w.run(a);
            // a ring larger than all the sends is never full
            assertThat(count(o, "remoteFallbacks")).isZero();
            assertThat(count(o, "localFrees")).isZero();
            assertThat(o.counts().get("remoteSharePct").doubleValue()).isEqualTo(100.0);
            assertThat(o.counts().get("fallbackPct").doubleValue()).isEqualTo(0.0);
            assertThat(a.liveBlocks()).isZero();
        }
    }

    @Test
    void oneThreadFreesEverythingItselfAndItsOpsAreItsIterations() {
        MtRemote w = new MtRemote(1, 30000, 100, 16, 2048, 90, 1024);
        try (SharedLiveSet a = glibc()) {
            Workload.Outcome o = w.run(a);
            long[] m = model(w, 0);
            assertThat(count(o, "allocations")).isEqualTo(m[0]);
            assertThat(count(o, "localFrees")).isEqualTo(m[1]);
            assertThat(count(o, "remoteSends")).isZero();
            assertThat(o.ops()).isEqualTo(30000);
            assertThat(count(o, "longestDrain")).as("nothing is ever received").isZero();
            // only the untimed clean-up, by the calling thread, frees what the worker allocated
            assertThat(a.crossThreadFrees.get()).isEqualTo(m[0] - m[1]);
            assertThat(a.liveBlocks()).isZero();
        }
    }

    @Test
    void aReceiverThatStallsFreesItsWholeFullRingInOneDrainAndTheSenderFallsBack() {
        int ringSlots = 1024;
        MtRemote w = new MtRemote(2, 100_000, 64, 16, 2048, 90, ringSlots);
        AtomicBoolean stalled = new AtomicBoolean();
        try (SharedLiveSet a = new SharedLiveSet(glibc()) {
            @Override
            public void free(long address) {
                if (Thread.currentThread().getName().equals(MtRemote.NAME + "-1") && stalled.compareAndSet(false, true)) {
                    LockSupport.parkNanos(200_000_000L); // long enough for the other thread to fill the ring
                }
                super.free(address);
            }
        }) {
            Workload.Outcome o = w.run(a);
            assertThat(count(o, "longestDrain")).isGreaterThanOrEqualTo(ringSlots);
            assertThat(count(o, "remoteFallbacks")).isPositive();
            assertThat(a.liveBlocks()).isZero();
        }
    }

    @Test
    void argumentsAreCheckedWithTheirNames() {
        assertThatThrownBy(() -> Workloads.parse(List.of("mt-remote", "2", "10", "400", "16", "2048", "90", "1000")))
                .hasMessageContaining("RING_SLOTS must be a power of two");
        assertThatThrownBy(() -> Workloads.parse(List.of("mt-remote", "2", "10", "400", "16", "2048", "101")))
                .hasMessageContaining("REMOTE_PCT must be 0..100");
        assertThatThrownBy(() -> Workloads.parse(List.of("mt-remote", "2", "10", "400", "64", "16", "90")))
                .hasMessageContaining("1 <= MIN <= MAX");
        assertThatThrownBy(() -> Workloads.parse(List.of("mt-remote", "2", "10")))
                .hasMessage("mt-remote takes THREADS ITERS WS MIN MAX REMOTE_PCT [RING_SLOTS] (2 arguments given)");
        assertThat(Workloads.parse(List.of("mt-remote", "2", "10", "400", "16", "2048", "90")).args())
                .containsExactly("2", "10", "400", "16", "2048", "90", "65536");
    }
}
