package dev.slabworks.testkit.campaign;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.AllocatorUnusableException;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.stats.Bytes;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Races threads against each other on one allocator, the cases a single-thread campaign cannot reach, and
 * counts what went wrong. A JVM crash ends the process, so a finished campaign has seen none; the
 * {@code race} command runs each campaign in a child JVM to count crashes too.
 *
 * <ul>
 *   <li>{@link Scenario#OWNER_VS_REMOTE}: per round the owner allocates a block, then the owner and one other
 *       thread free it at the same moment. Exactly one free may succeed; the other must be a
 *       {@code DOUBLE_FREE}.</li>
 *   <li>{@link Scenario#REMOTE_VS_REMOTE}: the same with two threads that do not own the block.</li>
 *   <li>{@link Scenario#SHARING_VS_FREES}: three threads at the moment a private slab becomes shared: the owner
 *       and a remote thread free one block while a second remote thread's free of another block of the slab
 *       shares it ({@link SharingRace}). One round per fresh allocator.</li>
 *   <li>{@link Scenario#TRIM_VS_FREE}: the owner trims while another thread frees the owner's blocks remotely;
 *       every free must succeed once.</li>
 *   <li>{@link Scenario#CLOSE_VS_USE}: threads allocate, reallocate and free (locally and across threads)
 *       while another thread closes the allocator; each call must complete or fail with
 *       {@link AllocatorUnusableException}, and close must leave nothing mapped. One round per fresh
 *       allocator.</li>
 *   <li>{@link Scenario#USE_AFTER_CLOSE}: every call after close, from the closing thread and another, must
 *       fail with {@link AllocatorUnusableException}.</li>
 * </ul>
 * In the first three the owner keeps {@value #KEPT} blocks live, each tagged with its own address, and
 * checks every block it is handed against them: a block handed out while live is a duplicate, a kept
 * block whose tag changed is corrupted. At the end allocations - frees must equal the blocks still live.
 */
public final class RaceCampaign {
    /** What races with what. */
    public enum Scenario {
        OWNER_VS_REMOTE, REMOTE_VS_REMOTE, SHARING_VS_FREES, TRIM_VS_FREE, CLOSE_VS_USE, USE_AFTER_CLOSE
    }

    /** What one scenario saw. {@code bothSucceeded} and {@code neitherSucceeded} count rounds. */
    public record Result(Scenario scenario, long rounds, long bothSucceeded, long neitherSucceeded, long duplicates,
                         long corrupted, long unexpected, double seconds, List<String> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    private static final int KEPT = 64;
    private static final long[] SIZES = {16, 64, 64, 200, 1024, 64};
    private static final int MAX_FAILURE_LINES = 10;

    private RaceCampaign() {
    }

    /** Runs {@code scenario} for {@code rounds} rounds on allocators made by {@code factory} with {@code knobs}. */
    public static Result run(Scenario scenario, AllocatorFactory factory, Knobs knobs, long rounds) {
        long t0 = System.nanoTime();
        Tally t = new Tally();
        try {
            switch (scenario) {
                case OWNER_VS_REMOTE, REMOTE_VS_REMOTE -> {
                    try (Allocator a = factory.create(knobs)) {
                        doubleFrees(a, rounds, scenario == Scenario.REMOTE_VS_REMOTE, t);
                    }
                }
                case SHARING_VS_FREES -> SharingRace.run(factory, knobs, rounds, t);
                case TRIM_VS_FREE -> {
                    try (Allocator a = factory.create(knobs)) {
                        trimVsFree(a, rounds, t);
                    }
                }
                case CLOSE_VS_USE -> {
                    for (long r = 0; r < rounds; r++) {
                        closeVsUse(factory.create(knobs), r, t);
                    }
                }
                case USE_AFTER_CLOSE -> useAfterClose(factory.create(knobs), t);
            }
        } catch (RuntimeException | Error | InterruptedException e) {
            t.fail("campaign stopped by " + e);
        }
        return new Result(scenario, rounds, t.both, t.neither, t.duplicates, t.corrupted, t.unexpected,
                (System.nanoTime() - t0) / 1e9, t.failures);
    }

    // ---------------------------------------------------------------- double frees

    /** Round protocol: the owner publishes the block and a round number; the freers spin until they see it. */
    private static void doubleFrees(Allocator a, long rounds, boolean twoRemotes, Tally t) throws InterruptedException {
        AtomicLong go = new AtomicLong(-1);
        AtomicLong done = new AtomicLong(0);
        long[] target = new long[1];
        boolean[][] won = {new boolean[1], new boolean[1]};
        AtomicReference<Throwable> crash = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        int remotes = twoRemotes ? 2 : 1;
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < remotes; k++) {
            int me = k;
            threads.add(Thread.ofPlatform().name("race-remote-" + k).start(() -> {
                try {
                    for (long r = 0; r < rounds; r++) {
                        long round = r;
                        spinUntil(() -> go.get() >= round || stop.get());
                        if (stop.get() && go.get() < round) {
                            return;
                        }
                        long p = target[0]; // published before go (volatile): happens-before
                        jitter(r * 3 + me + 1);
                        won[me][0] = tryFree(a, p, t);
                        done.incrementAndGet();
                    }
                } catch (Throwable e) {
                    crash.set(e);
                }
            }));
        }
        Owner owner = new Owner(a, t);
        int expected = remotes + (twoRemotes ? 0 : 1);
        try {
            raceRounds(a, rounds, twoRemotes, t, go, done, target, won, crash, remotes, owner, expected);
        } finally {
            stop.set(true);
            for (Thread th : threads) {
                th.join();
            }
        }
        if (crash.get() != null) {
            t.unexpected++;
            t.fail("freeing thread stopped by " + crash.get());
        }
        owner.finish();
    }

    private static void raceRounds(Allocator a, long rounds, boolean twoRemotes, Tally t, AtomicLong go, AtomicLong done,
                                   long[] target, boolean[][] won, AtomicReference<Throwable> crash, int remotes,
                                   Owner owner, int expected) {
        for (long r = 0; r < rounds && crash.get() == null; r++) {
            long p = owner.allocate(SIZES[(int) (r % SIZES.length)]);
            target[0] = p;
            go.set(r);
            boolean ownerWon = false;
            if (!twoRemotes) {
                jitter(r);
                ownerWon = tryFree(a, p, t);
            }
            long need = (r + 1) * remotes;
            spinUntil(() -> done.get() >= need || crash.get() != null);
            int winners = (ownerWon ? 1 : 0) + (won[0][0] ? 1 : 0) + (twoRemotes && won[1][0] ? 1 : 0);
            if (winners > 1) {
                t.both++;
                t.fail("round " + r + ": " + winners + " of " + expected + " frees of 0x" + Long.toHexString(p) + " succeeded");
            } else if (winners == 0) {
                t.neither++;
                t.fail("round " + r + ": no free of 0x" + Long.toHexString(p) + " succeeded");
            }
            owner.churn();
        }
    }

    static boolean tryFree(Allocator a, long p, Tally t) {
        try {
            a.free(p);
            return true;
        } catch (InvalidFreeException e) {
            if (e.kind() != InvalidFreeException.Kind.DOUBLE_FREE) {
                t.unexpected++;
                t.fail("losing free of 0x" + Long.toHexString(p) + " rejected as " + e.kind());
            }
            return false;
        }
    }

    /** The owner's live blocks: tagged, checked against every new block, churned one per round. */
    private static final class Owner {
        final Allocator a;
        final Tally t;
        final long[] kept = new long[KEPT];
        final Set<Long> live = new HashSet<>();
        int next;
        long allocated;

        Owner(Allocator a, Tally t) {
            this.a = a;
            this.t = t;
        }

        /** A block from the allocator, checked not to be live already (the raced one is not kept). */
        long allocate(long size) {
            long p = a.allocate(size);
            allocated++;
            if (live.contains(p)) {
                t.duplicates++;
                t.fail("block 0x" + Long.toHexString(p) + " handed out while live");
            }
            return p;
        }

        /** Replaces one kept block: checks and frees the oldest, allocates and tags a new one. */
        void churn() {
            long old = kept[next];
            if (old != 0) {
                check(old);
                live.remove(old);
                a.free(old);
            }
            long p = allocate(SIZES[next % SIZES.length]);
            Memory.putLong(p, p);
            live.add(p);
            kept[next] = p;
            next = (next + 1) % KEPT;
        }

        void check(long p) {
            if (Memory.getLong(p) != p) {
                t.corrupted++;
                t.fail("kept block 0x" + Long.toHexString(p) + " overwritten while live");
            }
        }

        /** Frees the kept blocks after checking them and the allocator's count of live blocks. */
        void finish() {
            StatsSnapshot s = a.stats();
            long liveCount = s.get(Stat.ALLOCATIONS) - s.get(Stat.FREES);
            if (liveCount != live.size()) {
                t.fail("allocations - frees = " + liveCount + " with " + live.size() + " blocks live");
            }
            for (long p : kept) {
                if (p != 0) {
                    check(p);
                    a.free(p);
                }
            }
        }
    }

    // ---------------------------------------------------------------- trim against remote frees

    private static void trimVsFree(Allocator a, long rounds, Tally t) throws InterruptedException {
        int batch = 64;
        AtomicLong handed = new AtomicLong();
        long[] ring = new long[batch * 4];
        AtomicLong taken = new AtomicLong();
        AtomicReference<Throwable> crash = new AtomicReference<>();
        Thread remote = Thread.ofPlatform().name("race-remote").start(() -> {
            try {
                for (long i = 0; i < rounds * batch; i++) {
                    long idx = i;
                    spinUntil(() -> handed.get() > idx || crash.get() != null);
                    if (crash.get() != null) {
                        return;
                    }
                    long p = ring[(int) (idx % ring.length)];
                    if (Memory.getLong(p) != p) {
                        t.corrupted++;
                    }
                    a.free(p);
                    taken.incrementAndGet();
                }
            } catch (Throwable e) {
                crash.set(e);
            }
        });
        Owner owner = new Owner(a, t);
        for (long r = 0; r < rounds && crash.get() == null; r++) {
            for (int k = 0; k < batch; k++) {
                long i = r * batch + k;
                spinUntil(() -> i - taken.get() < ring.length || crash.get() != null);
                long p = owner.allocate(SIZES[k % SIZES.length]);
                Memory.putLong(p, p);
                ring[(int) (i % ring.length)] = p;
                handed.incrementAndGet(); // publishes the slot
            }
            a.trim();
            owner.churn();
        }
        remote.join();
        if (crash.get() != null) {
            t.unexpected++;
            t.fail("remote freer stopped by " + crash.get());
        }
        owner.finish();
    }

    // ---------------------------------------------------------------- close

    private static void closeVsUse(Allocator a, long round, Tally t) throws InterruptedException {
        int threads = 3;
        AtomicLong started = new AtomicLong();
        AtomicLong handOff = new AtomicLong(); // a block one worker frees for another: cross-thread frees
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> bad = new AtomicReference<>();
        for (int k = 0; k < threads; k++) {
            int me = k;
            workers.add(Thread.ofPlatform().name("race-user-" + k).start(() -> {
                long[] mine = new long[32];
                started.incrementAndGet();
                try { // calls only: a block's memory is gone once close() returns, as in C
                    for (long i = 0; ; i++) {
                        int slot = (int) (i % mine.length);
                        if (mine[slot] != 0) {
                            long other = handOff.getAndSet(mine[slot]);
                            if (other != 0) {
                                a.free(other);
                            }
                        }
                        long p = a.allocate((i * 37 + me * 101) % 3000 + (i % 97 == 0 ? 100_000 : 0));
                        if (i % 50 == 0) {
                            p = a.reallocate(p, a.usableSize(p) + 1); // a copy inside the allocator
                        }
                        mine[slot] = p;
                    }
                } catch (AllocatorUnusableException expected) {
                    // closed under it: the only acceptable way out
                } catch (Throwable e) {
                    bad.compareAndSet(null, e);
                }
            }));
        }
        spinUntil(() -> started.get() == threads);
        Thread.sleep(1 + round % 3);
        a.close();
        for (Thread w : workers) {
            w.join();
        }
        if (bad.get() != null) {
            t.unexpected++;
            t.fail("round " + round + ": a call racing close() threw " + bad.get());
        }
        StatsSnapshot s = a.stats();
        if (s.get(Stat.MAPPED_BYTES) != 0 || s.get(Stat.MAPPINGS_LIVE) != 0) {
            t.fail("round " + round + ": " + Bytes.format(s.get(Stat.MAPPED_BYTES)) + " still mapped after close");
        }
    }

    private static void useAfterClose(Allocator a, Tally t) throws InterruptedException {
        long p = a.allocate(64);
        long big = a.allocate(1 << 20);
        a.close();
        a.close(); // idempotent
        Runnable[] calls = {
            () -> a.allocate(64), () -> a.allocate(1 << 20), () -> a.free(p), () -> a.free(big),
            () -> a.usableSize(p), () -> a.reallocate(p, 128), () -> a.reallocate(0, 16), a::trim,
        };
        for (int round = 0; round < 2; round++) {
            Thread other = Thread.ofPlatform().start(() -> expectUnusable(calls, t, "another thread"));
            other.join();
            expectUnusable(calls, t, "the closing thread");
        }
        if (a.stats().get(Stat.MAPPED_BYTES) != 0) {
            t.fail("calls after close mapped " + Bytes.format(a.stats().get(Stat.MAPPED_BYTES)));
        }
    }

    private static void expectUnusable(Runnable[] calls, Tally t, String who) {
        for (int i = 0; i < calls.length; i++) {
            try {
                calls[i].run();
                t.fail("call " + i + " after close succeeded on " + who);
            } catch (AllocatorUnusableException expected) {
                // right
            } catch (RuntimeException e) {
                t.unexpected++;
                t.fail("call " + i + " after close on " + who + " threw " + e);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    interface Condition {
        boolean holds();
    }

    static void spinUntil(Condition c) {
        for (int spins = 0; !c.holds(); spins++) {
            if (spins < 200) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * 0 to 31 spins, varying with the round, so that across rounds each free starts anywhere from well before
     * to well after the other and they meet at every point of each other's path.
     */
    static void jitter(long r) {
        for (int i = (int) ((r * 0x9E3779B97F4A7C15L) >>> 59); i > 0; i--) {
            Thread.onSpinWait();
        }
    }

    /** Counts, written by several threads (racy increments are fine: any non-zero fails the campaign). */
    static final class Tally {
        volatile long both;
        volatile long neither;
        volatile long duplicates;
        volatile long corrupted;
        volatile long unexpected;
        final List<String> failures = new ArrayList<>();

        synchronized void fail(String message) {
            if (failures.size() < MAX_FAILURE_LINES) {
                failures.add(message);
            } else if (failures.size() == MAX_FAILURE_LINES) {
                failures.add("(further failures not listed)");
            }
        }
    }
}
