package dev.slabworks.testkit.contract;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.AllocatorUnusableException;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.knobs.Preset;
import dev.slabworks.api.os.OutOfNativeMemoryError;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.validate.ValidationMode;
import dev.slabworks.testkit.campaign.RaceCampaign;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * What no call sequence may do to a strategy, whatever the caller does wrong: crash the JVM, hand out a live
 * block twice, hang, or leak. Short runs of the {@link RaceCampaign} scenarios in every validation mode, huge
 * sizes, and a {@link StackOverflowError} thrown inside the allocator at many depths. A strategy module runs
 * it with one subclass that supplies its factory (the long campaign is {@code ./slabworks race}).
 */
public abstract class SafetyContractTest {
    /** Enough rounds to have met the owner-vs-remote race thousands of times before the fix (see the campaign). */
    private static final long RACE_ROUNDS = 20_000;

    protected abstract AllocatorFactory factory();

    private Knobs knobs(ValidationMode mode) {
        return Knobs.defaults().with(Knob.VALIDATION, mode);
    }

    private void campaign(RaceCampaign.Scenario scenario, ValidationMode mode, long rounds) {
        campaign(scenario, knobs(mode), mode.name(), rounds);
    }

    private void campaign(RaceCampaign.Scenario scenario, Knobs knobs, String what, long rounds) {
        RaceCampaign.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> RaceCampaign.run(scenario, factory(), knobs, rounds));
        assertThat(r.failures()).as(scenario + " " + what).isEmpty();
        assertThat(r.bothSucceeded() + r.neitherSucceeded() + r.duplicates() + r.corrupted() + r.unexpected()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    void an_owner_free_racing_a_remote_free_of_the_same_block_has_exactly_one_winner(ValidationMode mode) {
        campaign(RaceCampaign.Scenario.OWNER_VS_REMOTE, mode, RACE_ROUNDS);
    }

    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    void two_remote_frees_of_the_same_block_have_exactly_one_winner(ValidationMode mode) {
        campaign(RaceCampaign.Scenario.REMOTE_VS_REMOTE, mode, RACE_ROUNDS / 4);
    }

    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    void a_remote_free_that_shares_a_slab_lets_exactly_one_of_two_racing_frees_of_another_block_win(ValidationMode mode) {
        campaign(RaceCampaign.Scenario.SHARING_VS_FREES, mode, 300);
    }

    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    void trim_racing_remote_frees_loses_and_corrupts_nothing(ValidationMode mode) {
        campaign(RaceCampaign.Scenario.TRIM_VS_FREE, mode, 200);
    }

    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    void close_racing_calls_on_other_threads_never_crashes_and_unmaps_everything(ValidationMode mode) {
        campaign(RaceCampaign.Scenario.CLOSE_VS_USE, mode, 10);
    }

    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    void every_call_after_close_fails_as_closed_on_every_thread(ValidationMode mode) {
        campaign(RaceCampaign.Scenario.USE_AFTER_CLOSE, mode, 1);
    }

    /**
     * Two threads working at once each keep an entry of the allocator's two-entry heap cache (one spins, so it stays
     * running and keeps the first; the other finds the second empty); after close, calls from both fail as closed,
     * not only those of the first entry.
     */
    @Test
    void after_close_calls_fail_as_closed_from_two_threads_that_each_keep_a_cached_heap() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Allocator a = factory().create(Knobs.defaults());
            AtomicBoolean closed = new AtomicBoolean();
            CountDownLatch ready = new CountDownLatch(1);
            AtomicReference<Throwable> spinnersCall = new AtomicReference<>();
            Thread spinner = Thread.ofPlatform().start(() -> {
                try {
                    a.free(a.allocate(64));
                } finally {
                    ready.countDown();
                }
                while (!closed.get()) {
                    Thread.onSpinWait();
                }
                try {
                    a.allocate(64);
                } catch (Throwable t) {
                    spinnersCall.set(t);
                }
            });
            try {
                ready.await();
                a.free(a.allocate(64)); // the second entry is empty: this thread's heap takes it
                long live = a.allocate(64);
                a.close();
                assertThatThrownBy(() -> a.allocate(64)).isInstanceOf(AllocatorUnusableException.class);
                assertThatThrownBy(() -> a.free(live)).isInstanceOf(AllocatorUnusableException.class);
            } finally {
                closed.set(true);
                spinner.join();
                a.close();
            }
            assertThat(spinnersCall.get()).isInstanceOf(AllocatorUnusableException.class);
        });
    }

    /** The seed preset sends 1024-byte blocks (one of the campaign's sizes) down the mid path, mapped one by one. */
    @Test
    void with_the_seed_presets_mid_path_every_race_still_has_one_winner_and_close_unmaps_everything() {
        Knobs seed = Knobs.defaults(Preset.SEED);
        campaign(RaceCampaign.Scenario.OWNER_VS_REMOTE, seed, "seed preset", RACE_ROUNDS / 4);
        campaign(RaceCampaign.Scenario.REMOTE_VS_REMOTE, seed, "seed preset", RACE_ROUNDS / 8);
        campaign(RaceCampaign.Scenario.TRIM_VS_FREE, seed, "seed preset", 100);
        campaign(RaceCampaign.Scenario.CLOSE_VS_USE, seed, "seed preset", 5);
    }

    @Test
    void stats_still_answer_after_close() {
        Allocator a = factory().create(Knobs.defaults());
        a.allocate(64);
        a.close();
        assertThat(a.stats().get(Stat.ALLOCATIONS)).isEqualTo(1);
        assertThat(a.stats().get(Stat.MAPPED_BYTES)).isZero();
    }

    @Test
    void a_segment_of_a_block_fails_cleanly_after_close_instead_of_reading_unmapped_memory() {
        Allocator a = factory().create(Knobs.defaults());
        java.lang.foreign.MemorySegment small = a.segment(a.allocate(64));
        java.lang.foreign.MemorySegment big = a.segment(a.allocate(1 << 20));
        small.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 42L);
        big.set(java.lang.foreign.ValueLayout.JAVA_LONG, 8, 43L);
        a.close();
        assertThatThrownBy(() -> small.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> big.get(java.lang.foreign.ValueLayout.JAVA_LONG, 8)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_segment_kept_past_its_blocks_free_fails_cleanly_once_the_memory_is_unmapped() {
        Knobs nothingKept = Knobs.defaults().with(Knob.DIRECT_CACHE_COUNT, 0).with(Knob.SS_LRU_SIZE, 0)
                .with(Knob.SS_PREWARM, 0);
        try (Allocator a = factory().create(nothingKept)) {
            long bigAddress = a.allocate(1 << 20);
            long smallAddress = a.allocate(64);
            java.lang.foreign.MemorySegment big = a.segment(bigAddress);
            java.lang.foreign.MemorySegment small = a.segment(smallAddress);
            big.set(java.lang.foreign.ValueLayout.JAVA_LONG, 8, 43L);
            assertThat(big.get(java.lang.foreign.ValueLayout.JAVA_LONG, 8)).isEqualTo(43L);
            assertThatThrownBy(() -> small.get(java.lang.foreign.ValueLayout.JAVA_LONG, small.byteSize()))
                    .as("a view is bounded by the block").isInstanceOf(IndexOutOfBoundsException.class);
            a.free(bigAddress);
            a.free(smallAddress);
            a.trim();
            assertThat(a.stats().get(Stat.MAPPED_BYTES)).as("nothing kept: every mapping released").isZero();
            assertThatThrownBy(() -> big.get(java.lang.foreign.ValueLayout.JAVA_LONG, 8))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> small.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void sizes_beyond_what_the_machine_can_map_fail_fast_and_leave_the_allocator_usable() {
        try (Allocator a = factory().create(Knobs.defaults())) {
            long p = a.allocate(100);
            long mapped = a.stats().get(Stat.MAPPED_BYTES);
            for (long size : new long[] {64L << 40, 16L << 40, 1L << 62, Long.MAX_VALUE, Long.MAX_VALUE - 15}) {
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                    assertThatThrownBy(() -> a.allocate(size)).isInstanceOf(OutOfNativeMemoryError.class);
                    assertThatThrownBy(() -> a.reallocate(p, size)).isInstanceOf(OutOfNativeMemoryError.class);
                });
            }
            assertThat(a.stats().get(Stat.MAPPED_BYTES)).as("nothing mapped for refused sizes").isEqualTo(mapped);
            assertThat(a.usableSize(p)).isGreaterThanOrEqualTo(100); // the block survived the failed reallocates
            a.free(a.allocate(1 << 20));
            a.free(p);
        }
    }

    /**
     * Recursion until the stack overflows, then on the way back up an allocate and a free at every depth, so
     * that the error strikes inside the allocator at every point of its paths (a front-cache refill, a slab
     * change, a SuperSlab taken from the pool). Afterwards the allocator either works, handing out only
     * distinct blocks, or says it is unusable on every call; close releases everything either way.
     */
    @ParameterizedTest
    @EnumSource(ValidationMode.class)
    void a_stack_overflow_inside_the_allocator_never_hands_out_a_live_block_twice(ValidationMode mode) throws Exception {
        Allocator a = factory().create(knobs(mode).with(Knob.FC_CAP, 4).with(Knob.FC_REFILL, 2));
        Diver diver = new Diver(a);
        Thread t = new Thread(null, () -> {
            for (int i = 0; i < 300 && !diver.unusable; i++) { // frame sizes change as the JIT compiles: the error lands elsewhere each dive
                diver.dive();
            }
        }, "overflow", 256 << 10);
        t.start();
        t.join();
        boolean usable;
        try {
            a.free(a.allocate(64));
            usable = true;
        } catch (AllocatorUnusableException e) {
            usable = false;
            assertThat(e).hasMessageContaining("StackOverflowError");
        }
        if (usable) {
            Set<Long> live = new HashSet<>();
            for (int i = 0; i < diver.count; i++) {
                long p = diver.blocks[i];
                try {
                    a.usableSize(p);
                } catch (InvalidFreeException freed) {
                    continue; // its free overflowed after it took effect
                }
                assertThat(live.add(p)).as("a block handed out twice during the dive").isTrue();
            }
            for (int i = 0; i < 20_000; i++) {
                assertThat(live.add(a.allocate(16 + (i % 64) * 16))).as("a block handed out twice").isTrue();
            }
            for (long p : live) {
                a.free(p);
            }
        } else {
            assertThatThrownBy(() -> a.allocate(16)).isInstanceOf(AllocatorUnusableException.class);
            assertThatThrownBy(() -> a.free(diver.anyBlock())).isInstanceOf(AllocatorUnusableException.class);
        }
        a.close();
        assertThat(a.stats().get(Stat.MAPPED_BYTES)).isZero();
        assertThat(diver.overflows).as("the dive overflowed the stack").isPositive();
    }

    private static final class Diver {
        final Allocator a;
        final long[] blocks = new long[8];
        int count;
        int overflows;
        boolean unusable;

        Diver(Allocator a) {
            this.a = a;
        }

        void dive() {
            try {
                dive();
            } catch (StackOverflowError e) {
                overflows++;
            }
            if (unusable) {
                return; // every call would throw, each exception filling in thousands of frames
            }
            // one class, so that a 4-block front cache refills (2 blocks) and flushes (8 frees in a row) at every depth
            try {
                if (count < 8) {
                    blocks[count] = a.allocate(64);
                    count++;
                } else {
                    while (count > 0) {
                        a.free(blocks[count - 1]);
                        count--;
                    }
                }
            } catch (StackOverflowError e) {
                overflows++;
            } catch (AllocatorUnusableException e) {
                unusable = true;
            } catch (InvalidFreeException e) {
                count--; // freed by a call that overflowed on its way out: not ours any more
            }
        }

        long anyBlock() {
            return count > 0 ? blocks[0] : 16;
        }
    }
}
