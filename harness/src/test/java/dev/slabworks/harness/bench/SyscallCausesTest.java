package dev.slabworks.harness.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slabworks.api.Allocator;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.stats.StatsSnapshot;
import dev.slabworks.testkit.reference.DirectOnlyAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SyscallCausesTest {
    @Test
    void the_rows_split_the_runs_calls_by_cause_and_close_is_one_munmap_per_mapping_left_apart_from_the_total() {
        Allocator a = DirectOnlyAllocator.FACTORY.create(Knobs.defaults().with(Knob.DIRECT_CACHE_COUNT, 0)
                .with(Knob.VALIDATION, "MINCORE"));
        long[] blocks = {a.allocate(100_000), a.allocate(200_000), a.allocate(300_000)};
        a.free(blocks[0]);
        StatsSnapshot run = a.stats();
        a.close();
        SyscallCauses c = SyscallCauses.of(run);

        assertThat(c.rows()).containsOnlyKeys("direct", "validation");
        assertThat(c.rows().get("direct")).extracting(SyscallCauses.Row::mmap, SyscallCauses.Row::munmap)
                .containsExactly(3L, 1L);
        assertThat(c.rows().get("validation").mincore()).isEqualTo(1);
        assertThat(c.total()).extracting(SyscallCauses.Row::mmap, SyscallCauses.Row::munmap, SyscallCauses.Row::mincore)
                .containsExactly(3L, 1L, 1L);
        assertThat(c.close()).extracting(SyscallCauses.Row::label, SyscallCauses.Row::mmap, SyscallCauses.Row::munmap)
                .containsExactly("close", 0L, 2L); // the two blocks still mapped
        assertThat(a.stats().syscallsByCause().count(dev.slabworks.api.os.Syscall.MUNMAP,
                dev.slabworks.api.os.SyscallCause.CLOSE)).isEqualTo(c.close().munmap()); // what close did
    }

    @Test
    void a_results_file_carries_the_rows_and_close_and_reads_back_the_same() {
        SyscallCauses c = new SyscallCauses(new java.util.LinkedHashMap<>(java.util.Map.of(
                "superslab_map", new SyscallCauses.Row("SuperSlab map", 21, 0, 0, 0, 0.5),
                "mid", new SyscallCauses.Row("mid", 1590, 1590, 1590, 0, 1.25))),
                new SyscallCauses.Row("close", 0, 21, 0, 0, 0.01));
        ObjectNode n = new ObjectMapper().createObjectNode();
        c.write(n);
        assertThat(n.path("mid").path("madvise").asLong()).isEqualTo(1590);
        assertThat(n.path("close").path("munmap").asLong()).isEqualTo(21);
        SyscallCauses back = SyscallCauses.read(n);
        assertThat(back.rows()).isEqualTo(c.rows());
        assertThat(back.close()).isEqualTo(c.close());
        assertThat(SyscallCauses.read(new ObjectMapper().nullNode())).isNull();
    }
}
