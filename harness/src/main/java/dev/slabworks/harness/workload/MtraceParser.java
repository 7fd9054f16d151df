package dev.slabworks.harness.workload;

import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a glibc {@code mtrace} file (plain, {@code .gz} or {@code .xz}) into a {@link Trace}. The
 * lines glibc writes ({@code malloc/mtrace-impl.c}), each optionally prefixed by
 * {@code @ caller[address] }:
 * <pre>
 *   = Start | = End          markers, ignored
 *   + PTR SIZE               malloc, calloc, memalign (PTR "(nil)": a failed call, ignored)
 *   - PTR                    free
 *   < OLD                    realloc, first half: the old block ...
 *   > NEW SIZE               ... second half, on the next line: the new block
 *   ! PTR SIZE               a failed realloc (nothing changed), ignored
 * </pre>
 * Every trace pointer is mapped to a slot while it is live; a free or realloc of a pointer that is
 * not live, and an allocation returning a pointer that still is, are errors naming the line.
 */
public final class MtraceParser {
    private final String source;
    private final Map<Long, Integer> liveSlot = new HashMap<>();
    private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
    private final Map<Long, Long> allocatedOnLine = new HashMap<>();
    private int slots;
    private byte[] op = new byte[1024];
    private int[] slot = new int[1024];
    private long[] size = new long[1024];
    private int length;
    private long allocations;
    private long frees;
    private long reallocations;
    private long pendingReallocLine = -1;
    private long pendingReallocPointer;

    private MtraceParser(String source) {
        this.source = source;
    }

    /** Parses {@code file}; a missing file, a malformed line or an inconsistent trace is an exception naming it. */
    public static Trace parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("trace file not found: " + file);
        }
        try (Reader r = new InputStreamReader(open(file), StandardCharsets.UTF_8)) {
            return parse(file.toString(), r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("trace file not found: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses trace text read from {@code reader}; {@code source} names it in errors. */
    public static Trace parse(String source, Reader reader) throws IOException {
        MtraceParser p = new MtraceParser(source);
        BufferedReader lines = new BufferedReader(reader);
        String line;
        long number = 0;
        while ((line = lines.readLine()) != null) {
            p.line(++number, line);
        }
        if (p.pendingReallocLine >= 0) {
            throw new TraceFormatException(source, p.pendingReallocLine, "realloc '<' without its '>' line");
        }
        return new Trace(source, Arrays.copyOf(p.op, p.length), Arrays.copyOf(p.slot, p.length),
                Arrays.copyOf(p.size, p.length), p.slots, p.allocations, p.frees, p.reallocations);
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        String name = file.getFileName().toString();
        if (name.endsWith(".gz")) {
            return new GZIPInputStream(in);
        }
        if (name.endsWith(".xz")) {
            return new XZInputStream(in);
        }
        return in;
    }

    private void line(long number, String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return;
        }
        String[] t = trimmed.split("\\s+");
        int i = 0;
        if (t[0].equals("@")) {
            // "@ file:(sym+off)[0xaddr] " or "@ [0xaddr] ": the caller ends at the first token closing ']'
            i = 1;
            while (i < t.length && !t[i].endsWith("]")) {
                i++;
            }
            if (i >= t.length) {
                throw malformed(number, text, "a caller '@ ...[address]' followed by an operation");
            }
            i++;
        }
        if (i >= t.length) {
            throw malformed(number, text, "an operation after the caller");
        }
        String kind = t[i];
        int argc = t.length - i - 1;
        if (pendingReallocLine >= 0 && !kind.equals(">")) {
            throw new TraceFormatException(source, number, "expected the '>' half of the realloc begun on line "
                    + pendingReallocLine + ", found '" + text.strip() + "'");
        }
        switch (kind) {
            case "=" -> { /* = Start, = End */ }
            case "+" -> {
                requireArgs(number, text, argc, 2, "'+ POINTER SIZE'");
                if (!t[i + 1].equals("(nil)")) {
                    long ptr = pointer(number, text, t[i + 1]);
                    long sz = hex(number, text, t[i + 2]);
                    add(Trace.ALLOCATE, newSlot(number, ptr), sz);
                    allocations++;
                }
            }
            case "-" -> {
                requireArgs(number, text, argc, 1, "'- POINTER'");
                long ptr = pointer(number, text, t[i + 1]);
                int s = releaseSlot(number, ptr, "frees");
                add(Trace.FREE, s, 0);
                frees++;
            }
            case "<" -> {
                requireArgs(number, text, argc, 1, "'< POINTER'");
                pendingReallocPointer = pointer(number, text, t[i + 1]);
                if (!liveSlot.containsKey(pendingReallocPointer)) {
                    throw neverAllocated(number, pendingReallocPointer, "reallocates");
                }
                pendingReallocLine = number;
            }
            case ">" -> {
                if (pendingReallocLine < 0) {
                    throw new TraceFormatException(source, number, "realloc '>' without a preceding '<' line");
                }
                requireArgs(number, text, argc, 2, "'> POINTER SIZE'");
                long ptr = pointer(number, text, t[i + 1]);
                long sz = hex(number, text, t[i + 2]);
                // the new block takes over the old one's slot (no trip through the free slots)
                Integer s = liveSlot.remove(pendingReallocPointer);
                allocatedOnLine.remove(pendingReallocPointer);
                pendingReallocLine = -1;
                if (liveSlot.containsKey(ptr)) {
                    throw stillLive(number, ptr);
                }
                liveSlot.put(ptr, s);
                allocatedOnLine.put(ptr, number);
                add(Trace.REALLOCATE, s, sz);
                reallocations++;
            }
            case "!" -> requireArgs(number, text, argc, 2, "'! POINTER SIZE'");
            default -> throw malformed(number, text, "one of '= ', '+ ', '- ', '< ', '> ', '! ' (optionally after '@ caller')");
        }
    }

    private int newSlot(long number, long ptr) {
        if (liveSlot.containsKey(ptr)) {
            throw stillLive(number, ptr);
        }
        int s = freeSlots.isEmpty() ? slots++ : freeSlots.pop();
        liveSlot.put(ptr, s);
        allocatedOnLine.put(ptr, number);
        return s;
    }

    private int releaseSlot(long number, long ptr, String verb) {
        Integer s = liveSlot.remove(ptr);
        if (s == null) {
            throw neverAllocated(number, ptr, verb);
        }
        allocatedOnLine.remove(ptr);
        freeSlots.push(s);
        return s;
    }

    private void add(byte kind, int s, long sz) {
        if (length == op.length) {
            op = Arrays.copyOf(op, length * 2);
            slot = Arrays.copyOf(slot, length * 2);
            size = Arrays.copyOf(size, length * 2);
        }
        op[length] = kind;
        slot[length] = s;
        size[length] = sz;
        length++;
    }

    private TraceFormatException neverAllocated(long number, long ptr, String verb) {
        return new TraceFormatException(source, number, "the trace " + verb + " 0x" + Long.toHexString(ptr)
                + ", which it never allocated (or already freed)");
    }

    private TraceFormatException stillLive(long number, long ptr) {
        return new TraceFormatException(source, number, "allocation returned 0x" + Long.toHexString(ptr)
                + ", still live since line " + allocatedOnLine.get(ptr) + " (the trace misses a free)");
    }

    private void requireArgs(long number, String text, int argc, int expected, String form) {
        if (argc != expected) {
            throw malformed(number, text, form);
        }
    }

    private long pointer(long number, String text, String token) {
        long p = hex(number, text, token);
        if (p == 0) {
            throw malformed(number, text, "a non-null pointer");
        }
        return p;
    }

    private long hex(long number, String text, String token) {
        String digits = token.startsWith("0x") || token.startsWith("0X") ? token.substring(2) : token;
        try {
            if (digits.isEmpty()) {
                throw new NumberFormatException();
            }
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw malformed(number, text, "a hexadecimal number where '" + token + "' is");
        }
    }

    private TraceFormatException malformed(long number, String text, String expected) {
        String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        return new TraceFormatException(source, number, "malformed mtrace line '" + shown.strip() + "': expected " + expected);
    }
}
