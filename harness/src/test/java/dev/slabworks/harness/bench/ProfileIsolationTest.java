package dev.slabworks.harness.bench;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.harness.baseline.NativeAllocator;
import dev.slabworks.harness.baseline.NativeLibrary;
import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.harness.workload.Workload;
import dev.slabworks.harness.workload.Workloads;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileIsolationTest {
    @Test
    void eachCopyHasItsOwnLoopClassAndDoesTheSameWork() {
        Workload original = Workloads.parse(List.of("random-mixed", "100000", "512", "9"));
        Workload a = ProfileIsolation.isolatedCopy(original);
        Workload b = ProfileIsolation.isolatedCopy(original);
        assertThat(a.getClass()).isNotSameAs(b.getClass()).isNotSameAs(RandomMixed.class);
        assertThat(a.getClass().getName()).isEqualTo(RandomMixed.class.getName());
        assertThat(a.args()).isEqualTo(original.args());
        try (NativeAllocator glibc = new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            Workload.Outcome x = original.run(glibc);
            Workload.Outcome y = a.run(glibc);
            assertThat(y.allocations()).isEqualTo(x.allocations());
            assertThat(y.frees()).isEqualTo(x.frees());
        }
    }

    @Test
    void remoteFreeAndTraceReplayCanBeIsolatedToo() {
        Workload remote = ProfileIsolation.isolatedCopy(Workloads.parse(List.of("remote-free", "2", "1000", "16", "1")));
        try (NativeAllocator glibc = new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            assertThat(remote.run(glibc).ops()).isPositive();
        }
    }
}
