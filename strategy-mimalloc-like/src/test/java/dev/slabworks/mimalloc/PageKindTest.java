package dev.slabworks.mimalloc;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.StatsSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Small and medium pages (see {@link PagePool}) and the heap's cache of known segments. */
class PageKindTest {
    private static final Knobs DEFAULTS = Knobs.defaults();

    /** Page size by class of every page a heap owns now. */
    private static Map<Integer, Set<Long>> pageSizesByClass(MimallocLikeAllocator a) {
        Map<Integer, Set<Long>> sizes = new HashMap<>();
        a.pool().forEachPage(p -> {
            if (p.owner != null) {
                sizes.computeIfAbsent(p.cls, c -> new HashSet<>()).add(1L << p.segment.pageShift);
            }
        });
        return sizes;
    }

    private static List<Long> oneOfEveryClass(MimallocLikeAllocator a) {
        List<Long> blocks = new ArrayList<>();
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            blocks.add(a.allocate(SizeClasses.size(c)));
        }
        return blocks;
    }

    @Test
    void a_class_of_which_a_small_page_holds_fewer_than_the_minimum_blocks_is_served_from_medium_pages() {
        long small = DEFAULTS.longValue(MimallocLikeKnobs.PAGE_SIZE);
        long medium = DEFAULTS.longValue(MimallocLikeKnobs.PAGE_MEDIUM_SIZE);
        int minBlocks = DEFAULTS.intValue(MimallocLikeKnobs.PAGE_SMALL_MIN_BLOCKS);
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(DEFAULTS)) {
            List<Long> blocks = oneOfEveryClass(a);
            Map<Integer, Set<Long>> sizes = pageSizesByClass(a);
            assertThat(sizes).hasSize(SizeClasses.COUNT);
            int mediumClasses = 0;
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                boolean isMedium = small / SizeClasses.size(c) < minBlocks;
                mediumClasses += isMedium ? 1 : 0;
                assertThat(sizes.get(c)).as("class %d (%d B)", c, SizeClasses.size(c)).containsExactly(isMedium ? medium : small);
            }
            assertThat(mediumClasses).isBetween(1, SizeClasses.COUNT - 1);
            blocks.forEach(a::free);
        }
    }

    @Test
    void a_medium_page_size_equal_to_the_small_one_means_small_pages_only() {
        Knobs knobs = DEFAULTS.with(MimallocLikeKnobs.PAGE_MEDIUM_SIZE, DEFAULTS.longValue(MimallocLikeKnobs.PAGE_SIZE));
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(knobs)) {
            oneOfEveryClass(a);
            assertThat(pageSizesByClass(a).values()).allSatisfy(s -> assertThat(s).containsExactly(knobs.longValue(MimallocLikeKnobs.PAGE_SIZE)));
        }
    }

    @Test
    void medium_pages_are_capped_at_the_segment_size() {
        Knobs knobs = DEFAULTS.with(MimallocLikeKnobs.SEGMENT_SIZE, 256L << 10).with(MimallocLikeKnobs.PAGE_MEDIUM_SIZE, 1L << 20);
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(knobs)) {
            a.allocate(SizeClasses.MAX_SIZE);
            assertThat(pageSizesByClass(a).get(SizeClasses.COUNT - 1)).containsExactly(256L << 10);
        }
    }

    @Test
    void a_medium_page_smaller_than_a_small_page_is_refused_naming_the_knob() {
        Knobs knobs = DEFAULTS.with(MimallocLikeKnobs.PAGE_SIZE, 128L << 10).with(MimallocLikeKnobs.PAGE_MEDIUM_SIZE, 64L << 10);
        assertThatThrownBy(() -> new MimallocLikeAllocator(knobs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(MimallocLikeKnobs.PAGE_MEDIUM_SIZE.key());
    }

    @Test
    void a_page_retired_by_one_kind_is_never_handed_to_a_class_of_the_other() {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(DEFAULTS.with(Knob.PURGE_DELAY_MS, -1).with(Knob.DEBUG_CHECKS, true))) {
            List<Long> large = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                large.add(a.allocate(1024));
            }
            large.forEach(a::free);
            assertThat(a.stats().get(Stat.PAGES_RETIRED)).isPositive();
            List<Long> tiny = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                tiny.add(a.allocate(16));
            }
            a.pool().forEachPage(p -> {
                if (p.owner != null) {
                    assertThat(1L << p.segment.pageShift).as("page of class %d", p.cls)
                            .isEqualTo(p.cls == SizeClasses.classOf(16) ? DEFAULTS.longValue(MimallocLikeKnobs.PAGE_SIZE) : DEFAULTS.longValue(MimallocLikeKnobs.PAGE_MEDIUM_SIZE));
                }
            });
            a.callingHeap().checkInvariants(true);
            tiny.forEach(a::free);
        }
    }

    @Test
    void frees_spread_over_several_segments_pay_one_mincore_per_segment_in_mincore_cached_mode() {
        try (MimallocLikeAllocator a = new MimallocLikeAllocator(DEFAULTS)) {
            List<Long> blocks = new ArrayList<>();
            for (int round = 0; round < 50; round++) {
                blocks.addAll(oneOfEveryClass(a));
            }
            int segments = a.pool().segmentCount();
            assertThat(segments).as("small and medium pages of every class").isGreaterThan(2);
            long before = a.stats().get(Stat.SYSCALL_MINCORE);
            for (int i = blocks.size() - 1; i >= 0; i--) { // interleaves the classes, so the segments alternate
                a.free(blocks.get(i));
            }
            StatsSnapshot s = a.stats();
            assertThat(s.get(Stat.SYSCALL_MINCORE) - before).isLessThanOrEqualTo(segments);
            assertThat(s.get(Stat.MINCORE_CACHE_HITS)).isGreaterThanOrEqualTo(blocks.size() - segments);
        }
    }
}
