package dev.slabworks.harness.bench;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;
import dev.slabworks.harness.knobs.HarnessKnobs;
import dev.slabworks.harness.wiring.Contender;
import dev.slabworks.harness.wiring.Contenders;
import dev.slabworks.harness.workload.RandomMixed;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Warm-ups beyond {@code --warmup} while the JIT is still compiling ({@code warmup.extra.max}). */
class WarmUpTest {
    private static final RandomMixed SMALL = new RandomMixed(1_000, 64, 1, 16, 1024);

    /** Direct-only allocators, counted: one for the live-bytes replay, then one per warm-up and repetition. */
    private static final class Counting implements AllocatorFactory {
        int made;

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public String description() {
            return "direct-only, counted";
        }

        @Override
        public Allocator create(Knobs knobs, Os os) {
            made++;
            return new DirectOnlyAllocator(knobs, os);
        }
    }

    /**
     * A JIT that compiles 50 ms during each of the first {@code busy} warm-ups and nothing after: the runner reads it
     * once before and once after each warm-up.
     */
    private static LongSupplier jitBusyFor(int busy) {
        return new LongSupplier() {
            private int reads;
            private long millis;

            @Override
            public long getAsLong() {
                if (reads++ % 2 == 1 && reads / 2 <= busy) {
                    millis += 50;
                }
                return millis;
            }
        };
    }

    private static RunResult run(Counting factory, int warmup, long extraMax, LongSupplier jit) {
        Knobs knobs = Contenders.create(Map.of(HarnessKnobs.WARMUP_MIN_MS.key(), "0", HarnessKnobs.WARMUP_MIN_OPS.key(),
                "0", HarnessKnobs.WARMUP_EXTRA_MAX.key(), Long.toString(extraMax),
                HarnessKnobs.WARMUP_JIT_QUIET_MS.key(), "10")).knobs();
        Contender c = new Contender(factory.name(), Contender.Kind.STRATEGY, "x", factory, null);
        RunResult r = new BenchRunner(2, warmup, Progress.silent(), jit)
                .run(ContenderSetup.plain(List.of(c), knobs, List.of()), List.of(SMALL)).getFirst();
        assertThat(r.failed()).as(r.error()).isFalse();
        return r;
    }

    @Test
    void warm_ups_go_on_while_the_jit_compiles_and_stop_at_the_first_quiet_one() {
        Counting f = new Counting();
        RunResult r = run(f, 2, 8, jitBusyFor(5));
        assertThat(r.warmup()).as("five busy warm-ups, then the quiet sixth").isEqualTo(6);
        assertThat(f.made).as("the replay's, six warm-ups, two repetitions").isEqualTo(1 + 6 + 2);
    }

    @Test
    void a_jit_that_never_settles_gets_at_most_warmup_extra_max_more() {
        Counting f = new Counting();
        assertThat(run(f, 2, 3, jitBusyFor(Integer.MAX_VALUE)).warmup()).isEqualTo(2 + 3);
        assertThat(run(new Counting(), 2, 0, jitBusyFor(Integer.MAX_VALUE)).warmup()).as("0: exactly --warmup").isEqualTo(2);
    }

    @Test
    void no_warm_up_asked_for_means_none_and_a_quiet_jit_adds_none() {
        assertThat(run(new Counting(), 0, 8, jitBusyFor(Integer.MAX_VALUE)).warmup()).isZero();
        assertThat(run(new Counting(), 2, 8, jitBusyFor(0)).warmup()).isEqualTo(2);
        assertThat(run(new Counting(), 2, 8, () -> -1).warmup()).as("a JVM that keeps no compile time").isEqualTo(2);
    }
}
