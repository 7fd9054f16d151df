package dev.slabworks.testkit.campaign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Addresses inside memory the JVM itself mapped, read once from {@code /proc/self/maps}: the
 * nearest honest stand-in for "an address next to a Java heap object" (Java cannot take an object's
 * address). Freeing any of them must be rejected as FOREIGN; nothing ever reads them.
 *
 * <p>Chosen so that no allocator can own them, whatever it maps later: file-backed mappings
 * ({@code libjvm.so}, {@code libc}; allocators map anonymous memory only), the main thread's
 * {@code [stack]}, and the largest anonymous mapping below 32 GiB, which on a 64-bit HotSpot with
 * compressed oops is the Java heap reservation (anonymous {@code mmap(NULL, ...)} of an allocator is
 * placed top-down near {@code 0x7f..}, far above). Not Linux: the list is empty.
 */
public final class JvmMappings {
    /** One hostile address and where it points. */
    public record Site(String what, long address) {
    }

    private static final long COMPRESSED_OOPS_LIMIT = 32L << 30;
    private static final List<Site> SITES = read(Path.of("/proc/self/maps"));

    private JvmMappings() {
    }

    /** Every JVM-owned hostile address of this process, block-aligned and misaligned ones. */
    public static List<Site> sites() {
        return SITES;
    }

    static List<Site> read(Path maps) {
        List<String> lines;
        try {
            lines = Files.readAllLines(maps);
        } catch (IOException | UnsupportedOperationException e) {
            return List.of();
        }
        List<Site> out = new ArrayList<>();
        boolean jvmText = false;
        boolean libc = false;
        boolean stack = false;
        long heapStart = 0;
        long heapLength = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+", 6);
            if (f.length < 5) {
                continue;
            }
            int dash = f[0].indexOf('-');
            long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
            long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
            String path = f.length == 6 ? f[5] : "";
            String perms = f[1];
            if (!jvmText && path.endsWith("/libjvm.so") && perms.contains("x")) {
                jvmText = true;
                add(out, "libjvm.so text", start, end);
            } else if (!libc && path.toLowerCase(Locale.ROOT).contains("/libc.so") && perms.startsWith("r")) {
                libc = true;
                add(out, "libc mapping", start, end);
            } else if (!stack && path.equals("[stack]")) {
                stack = true;
                add(out, "main thread stack", start, end);
            } else if (path.isEmpty() && end <= COMPRESSED_OOPS_LIMIT && end - start > heapLength) {
                heapStart = start;
                heapLength = end - start;
            }
        }
        if (heapLength > 0) {
            add(out, "Java heap reservation (largest anonymous mapping below 32 GiB)", heapStart, heapStart + heapLength);
        }
        return Collections.unmodifiableList(out);
    }

    private static void add(List<Site> out, String what, long start, long end) {
        long middle = (start + (end - start) / 2) & -16L;
        out.add(new Site(what + " start", start));
        out.add(new Site(what + " middle", middle));
        out.add(new Site(what + " middle + 8 (misaligned)", middle + 8));
    }
}
