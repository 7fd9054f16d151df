package dev.slabworks.harness.workload;

import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import dev.slabworks.harness.baseline.NativeAllocator;
import dev.slabworks.harness.baseline.NativeLibrary;
import dev.slabworks.harness.testing.CountingAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceReplayTest {
    @Test
    void replayDoesWhatTheTraceDidAndFreesWhatItLeftLive() {
        TraceReplay replay = new TraceReplay(MtraceParserTest.fixture("sort-3000-lines.mtrace"));
        CountingAllocator counting = new CountingAllocator(new DirectOnlyAllocator(Knobs.defaults()));
        try (counting) {
            Workload.Outcome o = replay.run(counting);
            assertThat(o.ops()).isEqualTo(replay.trace().length());
            assertThat(counting.allocations).isEqualTo(221);
            assertThat(counting.reallocations).isEqualTo(1);
            assertThat(counting.liveBlocks()).isZero();
            assertThat(counting.stats().get(Stat.LIVE_BYTES)).isZero();
        }
    }

    @Test
    void passesReplayTheTraceAgainOnTheSameAllocatorAndFreeWhatEachLeftLive() {
        TraceReplay once = new TraceReplay(MtraceParserTest.fixture("sort-3000-lines.mtrace"));
        TraceReplay thrice = new TraceReplay(MtraceParserTest.fixture("sort-3000-lines.mtrace"), 3);
        CountingAllocator counting = new CountingAllocator(new DirectOnlyAllocator(Knobs.defaults()));
        try (counting) {
            Workload.Outcome o = thrice.run(counting);
            assertThat(o.ops()).isEqualTo(3L * once.trace().length());
            assertThat(o.allocations()).isEqualTo(3L * (once.trace().allocations() + once.trace().reallocations()));
            assertThat(counting.allocations).isEqualTo(3 * 221);
            assertThat(counting.reallocations).isEqualTo(3);
            assertThat(counting.liveBlocks()).isZero();
        }
        assertThat(thrice.args()).endsWith("3");
        assertThat(once.args()).hasSize(1);
    }

    @Test
    void theLargeBufferSortTraceTakesTheDirectPathAndFreesEverything() {
        TraceReplay replay = new TraceReplay(MtraceParserTest.fixture("sort-S1M-200000-lines.mtrace.xz"));
        CountingAllocator counting = new CountingAllocator(new DirectOnlyAllocator(Knobs.defaults()));
        try (counting) {
            assertThat(replay.run(counting).ops()).isEqualTo(replay.trace().length());
            assertThat(counting.liveBlocks()).isZero();
        }
        assertThat(java.util.Arrays.stream(replay.trace().size()).max().orElse(0)).as("sort -S 1M's buffers")
                .isGreaterThanOrEqualTo(256 << 10);
    }

    @Test
    void aCompressedRealTraceReplaysOnGlibc() {
        TraceReplay replay = new TraceReplay(MtraceParserTest.fixture("python-json.mtrace.xz"));
        try (NativeAllocator glibc = new NativeAllocator(NativeLibrary.GLIBC, Knobs.defaults())) {
            assertThat(replay.run(glibc).ops()).isEqualTo(replay.trace().length());
        }
    }
}
