package dev.slabworks.harness.workload;

import java.nio.file.Path;
import java.util.List;

/** Turns the command line's {@code WORKLOAD ARGS...} into a {@link Workload}, with errors saying what is accepted. */
public final class Workloads {
    public static final String USAGE = "random-mixed ITERS WS SEED [MIN MAX] | trace-replay FILE | remote-free THREADS ITERS WS SEED";

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
                if (a.size() != 1) {
                    throw usage(name, "FILE", a.size());
                }
                TraceReplay replay = new TraceReplay(Path.of(a.getFirst()));
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
        long v = number(workload, what, text);
        if (v < 1 || v > (1 << 28)) {
            throw new IllegalArgumentException(workload + ": " + what + " must be 1.." + (1 << 28) + ", not " + text);
        }
        return v;
    }

    private static long seed(String workload, String text) {
        try {
            return text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(workload + ": SEED must be a 64-bit integer, not '" + text + "'");
        }
    }
}
