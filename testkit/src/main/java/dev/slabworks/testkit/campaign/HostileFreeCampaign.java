package dev.slabworks.testkit.campaign;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.AllocatorFactory;
import dev.slabworks.api.InvalidFreeException;
import dev.slabworks.api.InvalidFreeException.Kind;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Bytes;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.StatsSnapshot;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Throws a large number of invalid frees at one allocator while it holds live blocks, interleaved
 * with valid allocations and frees, and counts what happened: the engine of {@code ./slabworks hostile}.
 *
 * <p>Algorithm, per step, until {@code frees} invalid frees were made:
 * <ol>
 *   <li>with probability 1/4, one valid operation: a random live slot is verified, freed (a throw
 *       here is a <em>false rejection</em>), its address remembered as freed (huge blocks, whose
 *       mapping is unmapped on free, as <em>stale</em>), and the slot refilled with a new block;</li>
 *   <li>one invalid free of the next {@link Throw} kind (round-robin), whose address is checked
 *       against the model first: an address that is a live block start is skipped;</li>
 *   <li>the free must throw {@link InvalidFreeException}; for kinds with one right answer
 *       ({@link Throw#expected}) the exception's kind must match; the live block an interior free
 *       pointed into, and its neighbours, are verified at once;</li>
 *   <li>every {@code verifyEvery} steps and at the end, every live block is verified in full.</li>
 * </ol>
 * At the end: the allocator's INVALID_FREE_* counters must equal the rejections seen, allocations -
 * frees must equal the live blocks, and after freeing everything and {@code close()} nothing may stay
 * mapped. A JVM crash ends the process, so a finished campaign has by construction seen none.
 */
public final class HostileFreeCampaign {
    /** What an invalid free points at. */
    public enum Throw {
        /** 0, small values, negative, non-canonical and misaligned numbers. */
        NOT_AN_ADDRESS(Kind.FOREIGN),
        /** Another anonymous mapping, inside it, misaligned inside it, Java arena memory. */
        OTHER_MAPPING(Kind.FOREIGN),
        /** Memory the JVM mapped for itself: its heap reservation, libjvm.so, the stack. */
        JVM_MAPPING(Kind.FOREIGN),
        /** A page that was mapped and is not any more (FOREIGN while nobody maps it again). */
        UNMAPPED_HOLE(Kind.FOREIGN),
        /** Inside a live block, 1 to usable-1 bytes past its start. */
        INTERIOR(Kind.INTERIOR),
        /** Near a live block (before or after it, by multiples of 16): memory never handed out as this block. */
        NEVER_ALLOCATED(null),
        /** A block freed recently and not live now: a double free. */
        DOUBLE(null),
        /** A huge block freed, its mapping unmapped: a stale pointer. */
        STALE_UNMAPPED(null);

        private final Kind expected;

        Throw(Kind expected) {
            this.expected = expected;
        }

        /** The only right kind, or null when any kind is right (it depends on what the memory is now). */
        public Kind expected() {
            return expected;
        }
    }

    /** What a campaign saw. {@code failures} is empty when the allocator passed. */
    public record Report(String strategy, String mode, long invalidFrees, Map<Throw, Long> thrown,
                         Map<Kind, Long> caught, long acceptedInvalidFrees, long wrongKinds, long otherExceptions,
                         long falseRejections, long corruptedBlocks, long validAllocations, long validFrees,
                         long verifications, double seconds, List<String> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    private static final int MAX_FAILURE_LINES = 20;
    private static final int RING = 256;
    private static final long[] NOT_AN_ADDRESS = {
        0L, 1L, 8L, 15L, 16L, 4096L, 65536L, -1L, -16L, -4096L, Long.MIN_VALUE, Long.MAX_VALUE,
        Long.MAX_VALUE & -16L, 1L << 47, (1L << 47) - 16, 1L << 56, 0x00007fffffffe000L + 3,
        0xdeadbeefL, 0xdeadbeef0L,
    };

    private final Allocator allocator;
    private final Foreign foreign;
    private final SplittableRandom rnd;
    private final int liveCount;
    private final long[] addr;
    private final long[] size;
    private final long[] usable;
    private final long[] seed;
    private final TreeMap<Long, Integer> slotOf = new TreeMap<>();
    private final long[] freedRing = new long[RING];
    private final long[] staleRing = new long[RING];
    private int freedCount;
    private int staleCount;
    private long nextSeed;
    private final long[] otherMappings;
    private final long[] jvm;

    private final EnumMap<Throw, Long> thrown = new EnumMap<>(Throw.class);
    private final EnumMap<Kind, Long> caught = new EnumMap<>(Kind.class);
    private long accepted;
    private long wrongKinds;
    private long others;
    private long falseRejections;
    private long corrupted;
    private long validAllocations;
    private long validFrees;
    private long verifications;
    private final List<String> failures = new ArrayList<>();

    private HostileFreeCampaign(Allocator allocator, Foreign foreign, long seedValue, int liveCount) {
        this.allocator = allocator;
        this.foreign = foreign;
        this.rnd = new SplittableRandom(seedValue);
        this.liveCount = liveCount;
        this.addr = new long[liveCount];
        this.size = new long[liveCount];
        this.usable = new long[liveCount];
        this.seed = new long[liveCount];
        this.nextSeed = seedValue * 0x632BE59BD9B4E019L;
        this.otherMappings = new long[] {
            foreign.otherMapping(), foreign.insideOtherMapping(), foreign.insideOtherMapping() + 3,
            foreign.otherMapping() + 4 * Os.PAGE_SIZE - 16, foreign.arenaBlock(), foreign.arenaBlock() + 32,
        };
        this.jvm = Foreign.jvm();
        for (Throw t : Throw.values()) {
            thrown.put(t, 0L);
        }
        for (Kind k : Kind.values()) {
            caught.put(k, 0L);
        }
    }

    /**
     * Runs one campaign: {@code invalidFrees} invalid frees against a new allocator of
     * {@code factory} made with {@code knobs}, holding {@code liveBlocks} live blocks, checking them
     * every {@code verifyEvery} steps.
     */
    public static Report run(AllocatorFactory factory, Knobs knobs, long invalidFrees, int liveBlocks, int verifyEvery,
                             long seed) {
        long t0 = System.nanoTime();
        Allocator a = factory.create(knobs);
        HostileFreeCampaign c;
        try (Foreign foreign = new Foreign()) {
            c = new HostileFreeCampaign(a, foreign, seed, Math.max(1, liveBlocks));
            try {
                c.campaign(invalidFrees, Math.max(1, verifyEvery));
            } catch (RuntimeException | Error e) {
                c.fail("campaign stopped by " + e);
            } finally {
                a.close();
            }
        }
        StatsSnapshot closed = a.stats();
        if (closed.get(Stat.MAPPED_BYTES) != 0 || closed.get(Stat.MAPPINGS_LIVE) != 0
                || closed.get(Stat.SYSCALL_MMAP) != closed.get(Stat.SYSCALL_MUNMAP)) {
            c.fail("close() left " + Bytes.format(closed.get(Stat.MAPPED_BYTES)) + " in " + closed.get(Stat.MAPPINGS_LIVE)
                    + " mappings (mmap " + closed.get(Stat.SYSCALL_MMAP) + ", munmap " + closed.get(Stat.SYSCALL_MUNMAP) + ")");
        }
        return new Report(factory.name(), knobs.text(dev.slabworks.api.knobs.Knob.VALIDATION), invalidFrees,
                Map.copyOf(c.thrown), Map.copyOf(c.caught), c.accepted, c.wrongKinds, c.others, c.falseRejections,
                c.corrupted, c.validAllocations, c.validFrees, c.verifications, (System.nanoTime() - t0) / 1e9,
                List.copyOf(c.failures));
    }

    private void campaign(long invalidFrees, int verifyEvery) {
        for (int s = 0; s < liveCount; s++) {
            allocateInto(s);
        }
        StatsSnapshot start = allocator.stats();
        Throw[] kinds = Throw.values();
        long made = 0;
        for (long i = 0; made < invalidFrees; i++) {
            if (rnd.nextInt(4) == 0) {
                replace(rnd.nextInt(liveCount));
            }
            if (hostile(kinds[(int) (i % kinds.length)]) && ++made % verifyEvery == 0) {
                verifyAll();
            }
        }
        verifyAll();
        StatsSnapshot end = allocator.stats();
        if (Stats.ENABLED) {
            for (Kind k : Kind.values()) {
                long counted = end.since(start, k.stat());
                if (counted != caught.get(k)) {
                    fail(k.stat().key() + " counted " + counted + " rejections, " + caught.get(k) + " were thrown");
                }
            }
            long live = end.get(Stat.ALLOCATIONS) - end.get(Stat.FREES);
            if (live != liveCount) {
                fail("allocations - frees = " + live + ", but " + liveCount + " blocks are live");
            }
        }
        for (int s = 0; s < liveCount; s++) {
            validFree(s);
        }
        if (Stats.ENABLED) {
            StatsSnapshot freed = allocator.stats();
            if (freed.get(Stat.ALLOCATIONS) != freed.get(Stat.FREES) || freed.get(Stat.LIVE_BYTES) != 0) {
                fail("after freeing everything: allocations " + freed.get(Stat.ALLOCATIONS) + ", frees "
                        + freed.get(Stat.FREES) + ", live bytes " + Bytes.format(freed.get(Stat.LIVE_BYTES)));
            }
        }
    }

    // ------------------------------------------------------------------ valid operations

    private long randomSize() {
        int r = rnd.nextInt(1000);
        if (r < 700) {
            return rnd.nextLong(0, 1025);
        }
        if (r < 990) {
            return rnd.nextLong(1025, 32 * 1024 + 1);
        }
        return rnd.nextLong(32 * 1024 + 1, 300_000);
    }

    private void allocateInto(int s) {
        long n = randomSize();
        long p = allocator.allocate(n);
        validAllocations++;
        Integer clash = slotOf.get(p);
        if (clash != null) {
            fail("allocate(" + n + ") returned 0x" + Long.toHexString(p) + ", a block that is still live");
            corrupted++;
            addr[clash] = 0; // the slot lost its block to the duplicate; stop tracking it
        }
        addr[s] = p;
        size[s] = n;
        usable[s] = allocator.usableSize(p);
        seed[s] = nextSeed++;
        BlockContents.fill(p, n, seed[s]);
        slotOf.put(p, s);
    }

    private void replace(int s) {
        validFree(s);
        allocateInto(s);
    }

    private void validFree(int s) {
        long p = addr[s];
        if (p == 0) {
            return;
        }
        verify(s);
        slotOf.remove(p);
        addr[s] = 0;
        try {
            allocator.free(p);
            validFrees++;
        } catch (InvalidFreeException e) {
            falseRejections++;
            fail("valid free(0x" + Long.toHexString(p) + ") of a " + size[s] + "-byte block was rejected: " + e.getMessage());
            return;
        }
        if (size[s] > 32 * 1024) {
            staleRing[staleCount++ % RING] = p;
        } else {
            freedRing[freedCount++ % RING] = p;
        }
    }

    private void verify(int s) {
        if (addr[s] == 0) {
            return;
        }
        verifications++;
        long bad = BlockContents.firstMismatch(addr[s], size[s], seed[s]);
        if (bad >= 0) {
            corrupted++;
            fail("live block 0x" + Long.toHexString(addr[s]) + " (" + size[s] + " bytes) corrupted at byte " + bad);
            BlockContents.fill(addr[s], size[s], seed[s]); // count each corruption once
        }
    }

    private void verifyAll() {
        for (int s = 0; s < liveCount; s++) {
            verify(s);
        }
    }

    // ------------------------------------------------------------------ invalid frees

    /** One invalid free aimed at {@code t}; false when there was nothing to aim at (no free was made). */
    private boolean hostile(Throw t) {
        int target = -1;
        long address;
        switch (t) {
            case NOT_AN_ADDRESS -> address = NOT_AN_ADDRESS[rnd.nextInt(NOT_AN_ADDRESS.length)];
            case OTHER_MAPPING -> address = otherMappings[rnd.nextInt(otherMappings.length)];
            case JVM_MAPPING -> {
                if (jvm.length == 0) {
                    return false;
                }
                address = jvm[rnd.nextInt(jvm.length)];
            }
            case UNMAPPED_HOLE -> address = foreign.unmappedHole() + 16L * rnd.nextInt(4);
            case INTERIOR -> {
                target = rnd.nextInt(liveCount);
                if (addr[target] == 0 || usable[target] < 2) {
                    return false;
                }
                long off = rnd.nextInt(3) == 0 ? rnd.nextLong(1, usable[target]) : 16L * rnd.nextLong(1, Math.max(2, usable[target] / 16));
                if (off >= usable[target]) {
                    return false;
                }
                address = addr[target] + off;
            }
            case NEVER_ALLOCATED -> {
                int s = rnd.nextInt(liveCount);
                if (addr[s] == 0) {
                    return false;
                }
                address = rnd.nextBoolean() ? addr[s] + ((usable[s] + 15) & -16L) + 16L * rnd.nextInt(64)
                        : addr[s] - 16L * rnd.nextInt(1, 64);
            }
            case DOUBLE -> {
                if (freedCount == 0) {
                    return false;
                }
                address = freedRing[rnd.nextInt(Math.min(freedCount, RING))];
            }
            case STALE_UNMAPPED -> {
                if (staleCount == 0) {
                    return false;
                }
                address = staleRing[rnd.nextInt(Math.min(staleCount, RING))];
            }
            default -> throw new AssertionError(t);
        }
        Kind expected = t.expected();
        Map.Entry<Long, Integer> below = slotOf.floorEntry(address);
        if (below != null && below.getKey() == address) {
            return false; // a live block start after all: a valid free, not ours to throw
        }
        if (below != null && address - below.getKey() < usable[below.getValue()] && address > below.getKey()) {
            target = below.getValue();
            expected = Kind.INTERIOR; // whatever it was meant to be, it now points inside a live block
        } else if (t == Throw.UNMAPPED_HOLE && foreign.holeReused()) {
            expected = null; // someone (perhaps this allocator) mapped the hole again
        }
        thrown.merge(t, 1L, Long::sum);
        InvalidFreeException e = null;
        try {
            allocator.free(address);
        } catch (InvalidFreeException x) {
            e = x;
        } catch (RuntimeException | Error x) {
            others++;
            fail(t + " free(0x" + Long.toHexString(address) + ") threw " + x);
            return true;
        }
        if (e == null) {
            accepted++;
            fail(t + " free(0x" + Long.toHexString(address) + ") was accepted");
        } else {
            caught.merge(e.kind(), 1L, Long::sum);
            if (expected != null && e.kind() != expected) {
                wrongKinds++;
                fail(t + " free(0x" + Long.toHexString(address) + ") rejected as " + e.kind() + ", expected " + expected);
            }
        }
        if (target >= 0) {
            verify(target);
            Map.Entry<Long, Integer> after = slotOf.higherEntry(addr[target]);
            Map.Entry<Long, Integer> before = slotOf.lowerEntry(addr[target]);
            if (after != null) {
                verify(after.getValue());
            }
            if (before != null) {
                verify(before.getValue());
            }
        }
        return true;
    }

    private void fail(String line) {
        if (failures.size() < MAX_FAILURE_LINES) {
            failures.add(line);
        } else if (failures.size() == MAX_FAILURE_LINES) {
            failures.add("... (further failures not listed; see the counts)");
        }
    }
}
