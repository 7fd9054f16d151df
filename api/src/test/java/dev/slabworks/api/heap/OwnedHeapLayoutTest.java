package dev.slabworks.api.heap;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The padding around {@link OwnedHeap#thread} (see {@code OwnedHeapPadding}) as HotSpot lays the fields out in this
 * JVM: any 64-byte cache line holding the field holds nothing else but padding and the object's own header.
 */
class OwnedHeapLayoutTest {
    static final int LINE = 64;
    static final Set<String> PADDING = Set.of("OwnedHeapPadding", "OwnedHeapThreadPadding");

    /** A strategy's heap: fields of every size, which HotSpot would use to fill any gap the superclasses leave. */
    @SuppressWarnings("unused")
    static final class HotHeap extends OwnedHeap {
        byte b;
        boolean flag;
        short s;
        char c;
        int i;
        float f;
        long l;
        double d;
        Object ref;

        HotHeap() {
            super(Thread.currentThread());
        }
    }

    @Test
    void no_cache_line_holding_the_owner_thread_holds_a_field_the_owner_writes() {
        ClassLayout layout = ClassLayout.parseClass(HotHeap.class);
        FieldLayout thread = layout.fields().stream().filter(f -> f.name().equals("thread")).findFirst().orElseThrow();
        long linesFrom = thread.offset() + thread.size() - LINE; // the lowest start of a line holding the field
        long linesTo = thread.offset() + LINE;                     // the highest end, exclusive

        assertThat(linesFrom).as("a line holding thread starts inside the object:%n%s", layout.toPrintable())
                .isGreaterThanOrEqualTo(0);
        for (FieldLayout f : layout.fields()) {
            if (f == thread || PADDING.contains(simpleName(f.hostClass()))) {
                continue;
            }
            assertThat(f.offset() >= linesTo || f.offset() + f.size() <= linesFrom)
                    .as("%s at %d shares a line with thread at %d:%n%s", f.name(), f.offset(), thread.offset(),
                            layout.toPrintable())
                    .isTrue();
        }
    }

    private static String simpleName(String className) {
        return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
    }
}
