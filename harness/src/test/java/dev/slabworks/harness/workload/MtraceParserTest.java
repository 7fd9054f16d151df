package dev.slabworks.harness.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MtraceParserTest {
    static Path fixture(String name) {
        try {
            return Path.of(MtraceParserTest.class.getResource("/traces/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Trace parse(String text) throws IOException {
        return MtraceParser.parse("t.mtrace", new StringReader(text));
    }

    @Test
    void theRecordedSortTraceParsesWithItsRealloc() {
        Trace t = MtraceParser.parse(fixture("sort-3000-lines.mtrace"));
        // counted with grep on the fixture: 221 '+', 206 '-', one '<'/'>' pair
        assertThat(t.allocations()).isEqualTo(221);
        assertThat(t.frees()).isEqualTo(206);
        assertThat(t.reallocations()).isEqualTo(1);
        assertThat(t.length()).isEqualTo(428);
    }

    @Test
    void xzAndGzipAreReadLikePlainText(@TempDir Path dir) throws IOException {
        Trace xz = MtraceParser.parse(fixture("python-json.mtrace.xz"));
        assertThat(xz.length()).isGreaterThan(1000);
        Path plain = fixture("sort-3000-lines.mtrace");
        Path gz = dir.resolve("sort.mtrace.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(plain, out);
        }
        Trace a = MtraceParser.parse(plain);
        Trace b = MtraceParser.parse(gz);
        assertThat(b.op()).isEqualTo(a.op());
        assertThat(b.size()).isEqualTo(a.size());
        assertThat(b.slot()).isEqualTo(a.slot());
    }

    @Test
    void callerPrefixesAndMarkersAndFailedCallsAreUnderstood() throws IOException {
        Trace t = parse("""
                = Start
                @ ./prog:[0x401136] + 0x4052a0 0x10
                @ /lib/libc.so.6:(_IO_file_doallocate+8c)[0x758cc] + 0x4056c0 0
                + (nil) 0xffffffffffff
                @ [0x1] < 0x4052a0
                @ [0x2] > 0x406000 0x200
                ! 0x406000 0x7fffffffffff
                - 0x4056c0
                = End
                """);
        assertThat(t.op()).containsExactly(Trace.ALLOCATE, Trace.ALLOCATE, Trace.REALLOCATE, Trace.FREE);
        assertThat(t.size()).containsExactly(0x10, 0, 0x200, 0);
        assertThat(t.slot()[2]).isEqualTo(t.slot()[0]);
        assertThat(t.slots()).isEqualTo(2);
    }

    @Test
    void aMalformedLineIsAnErrorNamingItsLine() {
        assertThatThrownBy(() -> parse("= Start\n+ 0x10 0x20\n* 0x10\n"))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageStartingWith("t.mtrace:3: malformed mtrace line '* 0x10'");
        assertThatThrownBy(() -> parse("+ 0x10 zz\n"))
                .hasMessageStartingWith("t.mtrace:1: malformed").hasMessageContaining("'zz'");
        assertThatThrownBy(() -> parse("+ 0x10\n")).hasMessageContaining("'+ POINTER SIZE'");
        assertThatThrownBy(() -> parse("@ ./prog:0x1 + 0x10 0x1\n")).hasMessageContaining("t.mtrace:1:");
    }

    @Test
    void freeingWhatTheTraceNeverAllocatedIsAnErrorNamingItsLine() {
        assertThatThrownBy(() -> parse("+ 0x10 0x20\n- 0x10\n- 0x10\n"))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage("t.mtrace:3: the trace frees 0x10, which it never allocated (or already freed)");
        assertThatThrownBy(() -> parse("< 0x99\n> 0x10 0x8\n"))
                .hasMessageStartingWith("t.mtrace:1: the trace reallocates 0x99");
    }

    @Test
    void anAllocationOfAStillLivePointerAndAHalfRealloсAreErrors() {
        assertThatThrownBy(() -> parse("+ 0x10 0x20\n+ 0x10 0x8\n"))
                .hasMessage("t.mtrace:2: allocation returned 0x10, still live since line 1 (the trace misses a free)");
        assertThatThrownBy(() -> parse("+ 0x10 0x20\n< 0x10\n- 0x10\n"))
                .hasMessageStartingWith("t.mtrace:3: expected the '>' half of the realloc begun on line 2");
        assertThatThrownBy(() -> parse("+ 0x10 0x20\n< 0x10\n"))
                .hasMessageStartingWith("t.mtrace:2: realloc '<' without its '>' line");
    }

    @Test
    void aMissingFileIsAClearError() {
        assertThatThrownBy(() -> MtraceParser.parse(Path.of("/no/such/trace.mtrace")))
                .hasMessage("trace file not found: /no/such/trace.mtrace");
    }
}
