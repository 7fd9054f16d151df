package dev.slabworks.harness.bench;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import dev.slabworks.harness.baseline.NativeAllocator;
import dev.slabworks.harness.baseline.NativeLibrary;
import dev.slabworks.harness.testing.ForwardingAllocator;
import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.harness.workload.Workload;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveBytesMeterTest {
    @Test
    void live_bytes_are_the_requested_sizes_of_the_blocks_not_yet_freed_and_the_peak_their_highest_sum() {
        try (LiveBytesMeter m = new LiveBytesMeter(new DirectOnlyAllocator(Knobs.defaults()))) {
            long a = m.allocate(100);
            long b = m.allocate(200);
            m.allocate(300);
            m.free(b);
            assertThat(m.live()).isEqualTo(400);
            long a2 = m.reallocate(a, 1000);
            assertThat(m.live()).isEqualTo(1300);
            m.free(a2);
            m.allocate(0);
            assertThat(m.live()).isEqualTo(300);
            assertThat(m.peak()).isEqualTo(1300);
        }
    }

    @Test
    void a_replay_counts_what_a_plain_map_of_every_block_counts_through_heavy_churn() {
        Workload churn = new RandomMixed(200_000, 3000, 42, 16, 1024);
        LiveBytesMeter.LiveBytes replayed = LiveBytesMeter.replay(churn, new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults()));

        Oracle oracle = new Oracle(new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults()));
        churn.run(oracle, () -> oracle.end = oracle.live);
        assertThat(replayed.peak()).isEqualTo(oracle.peak).isPositive();
        assertThat(replayed.end()).isEqualTo(oracle.end).isPositive();
    }

    @Test
    void a_workload_that_does_not_say_where_its_loop_ends_has_no_end_figure() {
        Workload silent = new Workload() {
            @Override
            public String name() {
                return "silent";
            }

            @Override
            public java.util.List<String> args() {
                return java.util.List.of();
            }

            @Override
            public Outcome run(Allocator allocator) {
                allocator.free(allocator.allocate(64));
                return new Outcome(2, 1, 1, 1);
            }
        };
        LiveBytesMeter.LiveBytes replayed = LiveBytesMeter.replay(silent, new DirectOnlyAllocator(Knobs.defaults()));
        assertThat(replayed.peak()).isEqualTo(64);
        assertThat(replayed.end()).isEqualTo(MemoryFigures.UNKNOWN);
    }

    @Test
    void a_block_handed_out_while_live_or_a_free_of_what_is_not_live_is_an_error() {
        Allocator twice = new ForwardingAllocator(new DirectOnlyAllocator(Knobs.defaults())) {
            long first;

            @Override
            public long allocate(long size) {
                return first == 0 ? (first = delegate.allocate(size)) : first;
            }
        };
        try (LiveBytesMeter m = new LiveBytesMeter(twice)) {
            m.allocate(16);
            assertThatThrownBy(() -> m.allocate(16)).hasMessageContaining("handed out while live");
            assertThatThrownBy(() -> m.free(12345 << 4)).hasMessageContaining("not live");
        }
    }

    /** The same count with a boxed map: slow, obviously right. */
    private static final class Oracle extends ForwardingAllocator {
        final Map<Long, Long> sizes = new HashMap<>();
        long live;
        long peak;
        long end;

        Oracle(Allocator delegate) {
            super(delegate);
        }

        @Override
        public long allocate(long size) {
            long p = delegate.allocate(size);
            sizes.put(p, size);
            live += size;
            peak = Math.max(peak, live);
            return p;
        }

        @Override
        public void free(long address) {
            live -= sizes.remove(address);
            delegate.free(address);
        }
    }
}
