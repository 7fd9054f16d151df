package dev.slabworks.testkit.campaign;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link RaceCampaign.Scenario#SHARING_VS_FREES}: the moment a private slab (or page) becomes shared, with three
 * threads. Per round a fresh allocator; its owner allocates blocks X and Y, both in one still-private slab; then
 * at once the owner frees X, remote thread A frees X too, and remote thread B frees Y. B's free is the one that
 * shares the slab: it marks it and waits for the owner (mimalloc-like's page: it marks it and fences every thread);
 * A's free of X may come meanwhile. Exactly one of the
 * two frees of X may succeed, B's must, and the three blocks allocated afterwards must be distinct.
 *
 * <p>A fresh allocator per round because a slab, once shared, stays shared: only the first remote free of a
 * slab takes this path.
 */
final class SharingRace {
    private static final long SIZE = 64;

    private SharingRace() {
    }

    private record Round(Allocator allocator, long x, long y) {
    }

    static void run(AllocatorFactory factory, Knobs knobs, long rounds, RaceCampaign.Tally t) throws InterruptedException {
        Knobs lean = knobs.with(Knob.SS_PREWARM, 0); // a fresh allocator per round: map nothing ahead
        AtomicReference<Round> published = new AtomicReference<>();
        AtomicLong go = new AtomicLong(-1);
        AtomicLong done = new AtomicLong();
        boolean[] won = new boolean[2];
        AtomicReference<Throwable> crash = new AtomicReference<>();
        Thread[] remotes = new Thread[2];
        for (int k = 0; k < 2; k++) {
            int me = k;
            remotes[k] = Thread.ofPlatform().name("sharing-remote-" + k).start(() -> {
                try {
                    for (long r = 0; r < rounds; r++) {
                        long round = r;
                        RaceCampaign.spinUntil(() -> go.get() >= round || crash.get() != null);
                        if (go.get() < round) {
                            return;
                        }
                        Round it = published.get();
                        RaceCampaign.jitter(r * 5 + me + 1);
                        won[me] = RaceCampaign.tryFree(it.allocator(), me == 0 ? it.x() : it.y(), t);
                        done.incrementAndGet();
                    }
                } catch (Throwable e) {
                    crash.compareAndSet(null, e);
                }
            });
        }
        try {
            for (long r = 0; r < rounds && crash.get() == null; r++) {
                try (Allocator a = factory.create(lean)) {
                    long x = a.allocate(SIZE);
                    long y = a.allocate(SIZE);
                    published.set(new Round(a, x, y));
                    go.set(r);
                    RaceCampaign.jitter(r);
                    boolean ownerWon = RaceCampaign.tryFree(a, x, t);
                    long need = (r + 1) * 2;
                    RaceCampaign.spinUntil(() -> done.get() >= need || crash.get() != null);
                    if (crash.get() != null) {
                        break;
                    }
                    judge(a, r, x, ownerWon, won[0], won[1], t);
                }
            }
        } catch (RuntimeException | Error e) {
            crash.compareAndSet(null, e);
            go.set(Long.MAX_VALUE);
        } finally {
            go.set(Long.MAX_VALUE); // releases remotes still waiting for a round that will not come
            for (Thread th : remotes) {
                th.join();
            }
        }
        if (crash.get() != null) {
            t.unexpected++;
            t.fail("sharing race stopped by " + crash.get());
        }
    }

    private static void judge(Allocator a, long r, long x, boolean ownerWon, boolean remoteWonX, boolean remoteWonY,
                              RaceCampaign.Tally t) {
        if (ownerWon && remoteWonX) {
            t.both++;
            t.fail("round " + r + ": the owner's and a remote free of 0x" + Long.toHexString(x) + " both succeeded");
        } else if (!ownerWon && !remoteWonX) {
            t.neither++;
            t.fail("round " + r + ": no free of 0x" + Long.toHexString(x) + " succeeded");
        }
        if (!remoteWonY) {
            t.unexpected++;
            t.fail("round " + r + ": the remote free that shared the slab was refused");
        }
        long p = a.allocate(SIZE);
        long q = a.allocate(SIZE);
        long s = a.allocate(SIZE);
        if (p == q || q == s || p == s) {
            t.duplicates++;
            t.fail("round " + r + ": one block handed out twice after the race");
        }
        StatsSnapshot stats = a.stats();
        long live = stats.get(Stat.ALLOCATIONS) - stats.get(Stat.FREES);
        if (live != 3) {
            t.fail("round " + r + ": allocations - frees = " + live + " with 3 blocks live");
        }
    }
}
