package dev.slabworks.testkit.contract;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorUnusableException;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static dev.slabworks.testkit.contract.ThreadExitScenarios.onThreadThatEnds;
import static dev.slabworks.testkit.contract.ThreadExitScenarios.runOnThreadThatEnds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What {@code fc.remote} promises, shared by the strategies with a front cache: a block freed by a thread other than
 * its slab's owner is held by that thread's front cache (or, with the knob off, goes back to the owner's slab), and
 * holding it changes nothing about what a free of it may do.
 */
public final class HeldRemoteFrees {
    private HeldRemoteFrees() {
    }

    /**
     * The block another thread freed is that thread's next block of the size when {@code held}, and never when not
     * (it went back to the owner's slab). Either way no block is handed out twice.
     */
    public static void theFreeingThreadHandsTheBlockOutAgainOnlyWhenItHoldsIt(Allocator a, boolean held)
            throws InterruptedException {
        long p = a.allocate(48);
        long next = onThreadThatEnds(() -> {
            a.free(p);
            long q = a.allocate(48);
            a.free(q);
            return q;
        });
        if (held) {
            assertThat(next).isEqualTo(p);
        } else {
            assertThat(next).isNotEqualTo(p);
        }
        Set<Long> live = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertThat(live.add(a.allocate(48))).isTrue();
        }
        for (long b : live) {
            a.free(b);
        }
    }

    /**
     * With {@code fc.remote = 2}: of three blocks of one class that another thread frees, it holds the first two and
     * sends the third back to its owner, so its next three blocks of the class are the two it holds, newest first,
     * and one that is not the third.
     */
    public static void theFreeingThreadHoldsNoMoreBlocksOfAClassThanTheBound(Allocator a) throws InterruptedException {
        long[] owned = {a.allocate(48), a.allocate(48), a.allocate(48)};
        long[] next = onThreadThatEnds(() -> {
            for (long p : owned) {
                a.free(p);
            }
            long[] got = {a.allocate(48), a.allocate(48), a.allocate(48)};
            for (long p : got) {
                a.free(p);
            }
            return got;
        });
        assertThat(next[0]).isEqualTo(owned[1]);
        assertThat(next[1]).isEqualTo(owned[0]);
        assertThat(next[2]).isNotIn(owned[0], owned[1], owned[2]);
        StatsSnapshot s = a.stats();
        assertThat(s.get(Stat.REMOTE_FREES_HELD)).as("the two frees the bound let the thread keep").isEqualTo(2);
        assertThat(s.get(Stat.REMOTE_FREES)).as("every remote free, held or sent back").isGreaterThan(2);
    }

    /** A second free of a block another thread freed is a double free, on either thread, held or not. */
    public static void aSecondFreeOfABlockAnotherThreadFreedIsADoubleFree(Allocator a) throws InterruptedException {
        long p = a.allocate(48);
        long keep = a.allocate(48);
        runOnThreadThatEnds(() -> {
            a.free(p);
            assertThat(kind(a, p)).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
            InvalidFreeException again = catchThrowableOfType(InvalidFreeException.class, () -> a.usableSize(p));
            assertThat(again.kind()).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
        });
        assertThat(kind(a, p)).isEqualTo(InvalidFreeException.Kind.DOUBLE_FREE);
        a.free(keep);
    }

    private static InvalidFreeException.Kind kind(Allocator a, long p) {
        return catchThrowableOfType(InvalidFreeException.class, () -> a.free(p)).kind();
    }

    /**
     * A front-cache hit runs without a frame, so {@code close()} does not wait for it: a hit on a held block, whose
     * slab close takes away, must fail as a call after close does ({@link AllocatorUnusableException}), or complete,
     * but never throw anything else. Many rounds, since the window is a few instructions wide.
     */
    public static void closeWhileAnotherThreadHandsOutHeldBlocksFailsThoseCallsCleanly(Supplier<Allocator> fresh)
            throws InterruptedException {
        for (int round = 0; round < 500; round++) {
            Allocator a = fresh.get();
            long[] owned = new long[16];
            for (int i = 0; i < owned.length; i++) {
                owned[i] = a.allocate(48);
            }
            CountDownLatch holding = new CountDownLatch(1);
            AtomicReference<Throwable> wrong = new AtomicReference<>();
            Thread user = Thread.ofPlatform().start(() -> {
                try {
                    for (long p : owned) {
                        a.free(p); // held: this thread's heap does not own their slab
                    }
                    holding.countDown();
                    while (true) {
                        a.free(a.allocate(48)); // a held block out and back in, again and again
                    }
                } catch (AllocatorUnusableException expected) {
                    // the allocator closed under the loop
                } catch (Throwable e) {
                    wrong.set(e);
                } finally {
                    holding.countDown();
                }
            });
            holding.await();
            a.close();
            user.join();
            assertThat(wrong.get()).as("round %d", round).isNull();
        }
    }
}
