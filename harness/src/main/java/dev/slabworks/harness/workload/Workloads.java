package dev.slabworks.harness.workload;

import java.nio.file.Path;
import java.util.List;

/** Turns the command line's {@code WORKLOAD ARGS...} into a {@link Workload}, with errors saying what is accepted. */
public final class Workloads {
    public static final String USAGE = "random-mixed ITERS WS SEED [MIN MAX] | hakmem-random-mixed CYCLES WS SEED [MIN MAX]"
            + " | dist-mixed ITERS WS SEED DIST | trace-replay FILE [PASSES] | remote-free THREADS ITERS WS SEED"
            + " | mt-remote THREADS ITERS WS MIN MAX REMOTE_PCT [RING_SLOTS]"
            + " | larson THREADS SECONDS MIN MAX BLOCKS_PER_THREAD ROUNDS | xmalloc THREADS ITERS MIN MAX";

    /** The workloads one per line, with what each is, for the commands' help (picocli turns {@code %n} into line breaks). */
    public static final String HELP = "Workloads:%n"
            + "  random-mixed ITERS WS SEED [MIN MAX]%n"
            + "      our loop of the native anchors (splitmix64, sizes 16-1024)%n"
            + "  hakmem-random-mixed CYCLES WS SEED [MIN MAX]%n"
            + "      the seed's own bench_random_mixed, op for op; untimed prefault of%n"
            + "      CYCLES/10 (knob bench.prefault, HAKMEM_BENCH_PREFAULT)%n"
            + "  dist-mixed ITERS WS SEED DIST%n"
            + "      random-mixed's slots, sizes from DIST: uniform:MIN:MAX, app%n"
            + "      (80%% 16-256, 15%% 257-2048, 5%% 2049-32768) or%n"
            + "      trimix:LO1:HI1:W1:LO2:HI2:W2:LO3:HI3:W3%n"
            + "  trace-replay FILE [PASSES]%n"
            + "      a glibc mtrace file, replayed PASSES times (default 1) per repetition%n"
            + "  remote-free THREADS ITERS WS SEED%n"
            + "      random-mixed per thread, every free by the next thread%n"
            + "  mt-remote THREADS ITERS WS MIN MAX REMOTE_PCT [RING_SLOTS]%n"
            + "      the allocator team's remote-free benchmark (ring to thread i+1)%n"
            + "  larson THREADS SECONDS MIN MAX BLOCKS_PER_THREAD ROUNDS%n"
            + "      server churn; each array handed to a new thread after ROUNDS%n"
            + "  xmalloc THREADS ITERS MIN MAX%n"
            + "      THREADS producer threads allocate, as many consumers free";

    private Workloads() {
    }

    public static Workload parse(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("missing WORKLOAD; accepted: " + USAGE);
        }
        String name = words.getFirst();
        List<String> a = words.subList(1, words.size());
        return switch (name) {
            case RandomMixed.NAME -> {
                if (a.size() != 3 && a.size() != 5) {
                    throw usage(name, "ITERS WS SEED [MIN MAX]", a.size());
                }
                yield new RandomMixed(positive(name, "ITERS", a.get(0)), Math.toIntExact(bounded(name, "WS", a.get(1))),
                        seed(name, a.get(2)),
                        a.size() == 5 ? number(name, "MIN", a.get(3)) : RandomMixed.DEFAULT_MIN,
                        a.size() == 5 ? number(name, "MAX", a.get(4)) : RandomMixed.DEFAULT_MAX);
            }
            case TraceReplay.NAME -> {
                if (a.size() != 1 && a.size() != 2) {
                    throw usage(name, "FILE [PASSES]", a.size());
                }
                TraceReplay replay = new TraceReplay(Path.of(a.getFirst()),
                        a.size() == 2 ? Math.toIntExact(bounded(name, "PASSES", a.get(1))) : 1);
                if (replay.trace().length() == 0) {
                    throw new IllegalArgumentException(name + ": " + a.getFirst() + " holds no allocation, free or realloc");
                }
                yield replay;
            }
            case RemoteFree.NAME -> {
                if (a.size() != 4) {
                    throw usage(name, "THREADS ITERS WS SEED", a.size());
                }
                yield new RemoteFree(Math.toIntExact(bounded(name, "THREADS", a.get(0))), positive(name, "ITERS", a.get(1)),
                        Math.toIntExact(bounded(name, "WS", a.get(2))), seed(name, a.get(3)));
            }
            case HakmemRandomMixed.NAME -> {
                if (a.size() != 3 && a.size() != 5) {
                    throw usage(name, "CYCLES WS SEED [MIN MAX]", a.size());
                }
                yield new HakmemRandomMixed(number(name, "CYCLES", a.get(0)), Math.toIntExact(bounded(name, "WS", a.get(1))),
                        seed32(name, a.get(2)),
                        a.size() == 5 ? number(name, "MIN", a.get(3)) : HakmemRandomMixed.DEFAULT_MIN,
                        a.size() == 5 ? number(name, "MAX", a.get(4)) : HakmemRandomMixed.DEFAULT_MAX);
            }
            case DistMixed.NAME -> {
                if (a.size() != 4) {
                    throw usage(name, "ITERS WS SEED DIST (DIST: " + SizeDistribution.FORMS + ")", a.size());
                }
                yield new DistMixed(number(name, "ITERS", a.get(0)), Math.toIntExact(bounded(name, "WS", a.get(1))),
                        seed(name, a.get(2)), SizeDistribution.parse(a.get(3)));
            }
            case MtRemote.NAME -> {
                if (a.size() != 6 && a.size() != 7) {
                    throw usage(name, "THREADS ITERS WS MIN MAX REMOTE_PCT [RING_SLOTS]", a.size());
                }
                yield new MtRemote(Math.toIntExact(bounded(name, "THREADS", a.get(0))), number(name, "ITERS", a.get(1)),
                        Math.toIntExact(bounded(name, "WS", a.get(2))), number(name, "MIN", a.get(3)),
                        number(name, "MAX", a.get(4)), Math.toIntExact(bounded(name, "REMOTE_PCT", a.get(5), 0, 100)),
                        a.size() == 7 ? Math.toIntExact(bounded(name, "RING_SLOTS", a.get(6)))
                                : MtRemote.DEFAULT_RING_SLOTS);
            }
            case Larson.NAME -> {
                if (a.size() != 6) {
                    throw usage(name, "THREADS SECONDS MIN MAX BLOCKS_PER_THREAD ROUNDS", a.size());
                }
                yield new Larson(Math.toIntExact(bounded(name, "THREADS", a.get(0))), nanos(name, "SECONDS", a.get(1)),
                        number(name, "MIN", a.get(2)), number(name, "MAX", a.get(3)),
                        Math.toIntExact(bounded(name, "BLOCKS_PER_THREAD", a.get(4))),
                        Math.toIntExact(bounded(name, "ROUNDS", a.get(5))));
            }
            case Xmalloc.NAME -> {
                if (a.size() != 4) {
                    throw usage(name, "THREADS ITERS MIN MAX", a.size());
                }
                yield new Xmalloc(Math.toIntExact(bounded(name, "THREADS", a.get(0))), number(name, "ITERS", a.get(1)),
                        number(name, "MIN", a.get(2)), number(name, "MAX", a.get(3)));
            }
            default -> throw new IllegalArgumentException("unknown workload '" + name + "'; accepted: " + USAGE);
        };
    }

    private static IllegalArgumentException usage(String name, String form, int given) {
        return new IllegalArgumentException(name + " takes " + form + " (" + given + " argument"
                + (given == 1 ? "" : "s") + " given)");
    }

    private static long number(String workload, String what, String text) {
        try {
            long v = Long.parseLong(text.replace("_", ""));
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(workload + ": " + what + " must be a non-negative integer, not '" + text + "'");
        }
    }

    /** A run of 0 iterations measures nothing: ITERS is at least 1. */
    private static long positive(String workload, String what, String text) {
        long v = number(workload, what, text);
        if (v < 1) {
            throw new IllegalArgumentException(workload + ": " + what + " must be >= 1, not " + text);
        }
        return v;
    }

    private static long bounded(String workload, String what, String text) {
        return bounded(workload, what, text, 1, 1 << 28);
    }

    private static long bounded(String workload, String what, String text, long min, long max) {
        long v = number(workload, what, text);
        if (v < min || v > max) {
            throw new IllegalArgumentException(workload + ": " + what + " must be " + min + ".." + max + ", not " + text);
        }
        return v;
    }

    /** A 32-bit unsigned seed, as the C programs of the allocator team read theirs. */
    private static int seed32(String workload, String text) {
        try {
            long v = Long.parseLong(text.replace("_", ""));
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(workload + ": SEED must be 0..4294967295, not '" + text + "'");
        }
    }

    /** Seconds, decimals allowed, as nanoseconds. */
    private static long nanos(String workload, String what, String text) {
        try {
            java.math.BigDecimal seconds = new java.math.BigDecimal(text);
            if (seconds.signum() <= 0 || seconds.compareTo(java.math.BigDecimal.valueOf(Larson.MAX_SECONDS)) > 0) {
                throw new NumberFormatException();
            }
            return seconds.movePointRight(9).longValue();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(workload + ": " + what + " must be a number of seconds above 0 and up to "
                    + Larson.MAX_SECONDS + " (decimals allowed), not '" + text + "'");
        }
    }

    private static long seed(String workload, String text) {
        try {
            return text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(workload + ": SEED must be a 64-bit integer, not '" + text + "'");
        }
    }
}
