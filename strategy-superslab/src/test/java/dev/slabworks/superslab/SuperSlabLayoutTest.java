package dev.slabworks.superslab;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.slab.Slab;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the byte diagram in {@link SuperSlab}'s class comment. */
class SuperSlabLayoutTest {

    private static SuperSlabAllocator allocator(String ssSize) {
        return new SuperSlabAllocator(Knobs.defaults().with(Knob.SS_SIZE, ssSize).with(Knob.FC_CAP, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"64K", "256K", "2M"})
    void a_block_finds_its_superslab_by_alignment_mask_and_its_index_by_arithmetic(String ssSize) {
        try (SuperSlabAllocator a = allocator(ssSize)) {
            long ss = a.superSlabSize();
            for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
                int bs = SizeClasses.size(cls);
                long first = a.allocate(bs);
                long second = a.allocate(bs);
                SuperSlab s = a.superSlabOf(first);
                assertThat(s.base()).as("class %d", cls).isEqualTo(first & -ss);
                assertThat(s.base() % ss).isZero();
                assertThat(s.size()).isEqualTo(ss);
                assertThat(first).as("block 0 of class %d", cls).isEqualTo(s.base() + SuperSlab.HEADER_SIZE);
                assertThat(first % Allocator.ALIGNMENT).isZero();
                if (SuperSlab.capacity(ss, cls) > 1) {
                    assertThat(second).as("block 1 of class %d", cls).isEqualTo(s.base() + SuperSlab.HEADER_SIZE + bs);
                    assertThat(SizeClasses.blockIndex(cls, second - s.base() - SuperSlab.HEADER_SIZE)).isEqualTo(1);
                } else {
                    assertThat(a.superSlabOf(second)).as("a full SuperSlab of class %d", cls).isNotSameAs(s);
                }
                Slab slab = s.slab();
                assertThat(slab.sizeClass()).isEqualTo(cls);
                assertThat(slab.capacity()).isEqualTo(SuperSlab.capacity(ss, cls))
                        .isEqualTo((int) ((ss - SuperSlab.HEADER_SIZE) / bs));
                assertThat(slab.end()).isLessThanOrEqualTo(s.base() + ss);
                assertThat(s.base() + ss - slab.end()).as("tail of class %d", cls).isLessThan(bs + SuperSlab.HEADER_SIZE);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 23, 39})
    void the_in_band_header_holds_magic_class_format_count_and_id_at_the_documented_offsets(int cls) {
        try (SuperSlabAllocator a = allocator("64K")) {
            long p = a.allocate(SizeClasses.size(cls));
            SuperSlab s = a.superSlabOf(p);
            long b = s.base();
            assertThat(Memory.getLong(b + SuperSlab.MAGIC_OFFSET)).isEqualTo(SuperSlab.MAGIC);
            assertThat(Memory.getInt(b + SuperSlab.CLASS_OFFSET)).isEqualTo(cls);
            assertThat(Memory.getInt(b + SuperSlab.FORMATS_OFFSET)).isEqualTo(s.formats()).isEqualTo(1);
            assertThat(Memory.getLong(b + SuperSlab.ID_OFFSET)).isEqualTo(s.id());
            assertThat(SuperSlab.ID_OFFSET + 8).isLessThanOrEqualTo(SuperSlab.HEADER_SIZE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"64K", "2M"})
    void each_superslab_serves_exactly_one_size_class(String ssSize) {
        try (SuperSlabAllocator a = allocator(ssSize)) {
            Set<SuperSlab> seen = new HashSet<>();
            for (int cls = 0; cls < SizeClasses.COUNT; cls++) {
                SuperSlab s = a.superSlabOf(a.allocate(SizeClasses.size(cls)));
                assertThat(seen.add(s)).as("class %d got a SuperSlab of another class", cls).isTrue();
            }
            assertThat(a.stats().get(dev.slabworks.api.stats.Stat.SUPERSLABS)).isGreaterThanOrEqualTo(SizeClasses.COUNT);
        }
    }

    @org.junit.jupiter.api.Test
    void a_superslab_larger_than_32_mib_caps_its_slab_so_block_indices_stay_exact() {
        assertThat(SuperSlab.slabSpan(64L << 20)).isEqualTo(SizeClasses.MAX_DIVIDEND);
        assertThat(SuperSlab.slabSpan(2L << 20)).isEqualTo((2L << 20) - SuperSlab.HEADER_SIZE);
        try (SuperSlabAllocator a = new SuperSlabAllocator(Knobs.defaults().with(Knob.SS_SIZE, "64M")
                .with(Knob.SS_PREWARM, 0).with(Knob.FC_CAP, 0))) {
            long p = a.allocate(16);
            SuperSlab s = a.superSlabOf(p);
            assertThat(s.slab().end()).isLessThanOrEqualTo(s.base() + SuperSlab.HEADER_SIZE + SizeClasses.MAX_DIVIDEND);
            a.free(p);
        }
    }
}
