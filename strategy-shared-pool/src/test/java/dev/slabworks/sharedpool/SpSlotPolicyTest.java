package dev.slabworks.sharedpool;

import dev.slabworks.api.Region;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.RegionMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SP-SLOT's slot states and three-stage acquire ({@link SlabPool}) on a small, deterministic pool: four slabs per SuperSlab. */
class SpSlotPolicyTest {
    static final long SS = 256 << 10;
    static final long SLAB = 64 << 10;

    private final Os os = new Os();
    private final Stats stats = new Stats(os);
    private final ThreadStats t = stats.registerThread();
    private final SlabPool pool = new SlabPool(os, stats, new RegionMap<Region>(SLAB), SS, SLAB, true, 2, -1, -1,
            Advice.DONTNEED);

    @AfterEach
    void close() {
        pool.closeAll();
        assertThat(os.mappedBytes()).isZero();
    }

    private List<SlabSlot> assign(int n) {
        List<SlabSlot> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SlabSlot s = pool.assign(i % 40, this, false, t);
            got.add(s);
            pool.checkInvariants();
        }
        return got;
    }

    private void giveBack(SlabSlot s) {
        pool.giveBack(s, t);
        pool.checkInvariants();
    }

    @Test
    void slabs_fill_one_superslab_before_the_next_is_mapped() {
        List<SlabSlot> slots = assign(9);
        assertThat(slots.stream().map(s -> s.superSlab).distinct().count()).isEqualTo(3);
        assertThat(slots.subList(0, 4)).extracting(s -> s.index).containsExactly(0, 1, 2, 3);
        assertThat(slots.get(4).superSlab).isNotSameAs(slots.get(0).superSlab);
        assertThat(pool.superSlabsMapped()).isEqualTo(3);
        assertThat(t.get(Stat.LRU_MISSES)).isEqualTo(3);
        assertThat(t.get(Stat.SLOTS_FROM_NEW_SUPERSLAB)).isEqualTo(3);
        assertThat(t.get(Stat.SLOTS_FROM_UNUSED)).isEqualTo(6);
    }

    @Test
    void the_superslab_with_the_fewest_free_slabs_gets_the_next_slab() {
        List<SlabSlot> slots = assign(9); // A full, B full, C has 3 free
        SharedSuperSlab a = slots.get(0).superSlab;
        SharedSuperSlab b = slots.get(4).superSlab;
        giveBack(slots.get(1));
        giveBack(slots.get(2)); // A: 2 free, C: 3 free
        assertThat(pool.nextCandidate()).isSameAs(a);
        giveBack(slots.get(7)); // B: 1 free
        assertThat(pool.nextCandidate()).isSameAs(b);
        SlabSlot next = pool.assign(5, this, false, t);
        assertThat(next.superSlab).isSameAs(b);
        assertThat(next.index).isEqualTo(3); // the slot B just gave back
        assertThat(pool.nextCandidate()).isSameAs(a);
        assertThat(pool.assign(6, this, false, t).index).isEqualTo(1); // lowest free slot of A
        assertThat(t.get(Stat.SLOTS_FROM_UNUSED)).isEqualTo(6 + 2); // the nine: 3 new, 6 UNUSED; then these two
    }

    @Test
    void a_slot_whose_last_slab_another_thread_freed_into_gives_its_next_slab_shared_from_the_start() {
        List<SlabSlot> slots = assign(8); // A and B full; slot 5 holds class 5
        SlabSlot freedInto = slots.get(5);
        SlabSlot untouched = slots.get(6);
        assertThat(freedInto.slab.isShared()).isFalse();
        freedInto.slab.markFreedRemotely();
        giveBack(freedInto);
        giveBack(untouched);

        assertThat(pool.assign(5, this, false, t)).isSameAs(freedInto);
        assertThat(freedInto.slab.isShared()).as("the slot's last slab was freed into").isTrue();
        assertThat(freedInto.slab.freedRemotely()).as("evidence is not inherited, only the start").isFalse();
        assertThat(pool.assign(6, this, false, t)).isSameAs(untouched);
        assertThat(untouched.slab.isShared()).isFalse();
        SlabSlot asked = pool.assign(7, this, true, t);
        assertThat(asked.slab.isShared()).as("the owner asked").isTrue();

        giveBack(asked);
        assertThat(pool.assign(7, this, false, t)).isSameAs(asked);
        assertThat(asked.slab.isShared()).as("a slab that only started shared is no evidence").isFalse();
    }

    @Test
    void a_class_takes_back_the_slot_it_emptied_before_any_free_slot_of_a_fuller_superslab() {
        List<SlabSlot> slots = assign(8); // A: classes 0..3, B: classes 4..7, both full
        SlabSlot b1 = slots.get(5);
        giveBack(slots.get(0)); // A: one EMPTY slot (class 0)
        giveBack(slots.get(6)); // B: one EMPTY slot (class 6)
        giveBack(b1); // B: two EMPTY slots; A is now the fullest
        assertThat(b1.state).isEqualTo(SlabSlot.EMPTY);
        assertThat(pool.nextCandidate()).isSameAs(slots.get(0).superSlab);
        SlabSlot again = pool.assign(5, this, false, t);
        assertThat(again).isSameAs(b1); // stage 1: its own EMPTY slot, not A's
        assertThat(t.get(Stat.SLOTS_FROM_EMPTY)).isEqualTo(1);
        assertThat(pool.assign(9, this, false, t)).isSameAs(slots.get(0)); // stage 2: A's EMPTY slot of another class
        assertThat(slots.get(0).slab.sizeClass()).isEqualTo(9);
        pool.checkInvariants();
    }

    @Test
    void a_superslab_whose_last_active_slot_comes_back_turns_all_its_slots_unused_and_goes_to_the_lru() {
        List<SlabSlot> slots = assign(4); // one full SuperSlab
        for (int i = 0; i < 3; i++) {
            giveBack(slots.get(i));
            assertThat(slots.get(i).state).isEqualTo(SlabSlot.EMPTY);
        }
        giveBack(slots.get(3));
        SharedSuperSlab ss = slots.getFirst().superSlab;
        assertThat(ss.slots).extracting(s -> s.state).containsOnly(SlabSlot.UNUSED);
        assertThat(pool.inLru(ss)).isTrue();
        assertThat(t.get(Stat.SUPERSLABS_RELEASED)).isEqualTo(1);
        SlabSlot next = pool.assign(0, this, false, t); // class 0 emptied a slot, but its SuperSlab left use: stage 3
        assertThat(next.superSlab).isSameAs(ss);
        assertThat(next.index).isZero();
        assertThat(t.get(Stat.SLOTS_FROM_EMPTY)).isZero();
        assertThat(t.get(Stat.SLOTS_FROM_NEW_SUPERSLAB)).isEqualTo(2);
        assertThat(t.get(Stat.LRU_HITS)).isEqualTo(1);
    }

    @Test
    void ties_go_to_the_lowest_address() {
        List<SlabSlot> slots = assign(8);
        giveBack(slots.get(6));
        giveBack(slots.get(2));
        SharedSuperSlab lower = slots.get(0).superSlab.start < slots.get(4).superSlab.start
                ? slots.get(0).superSlab : slots.get(4).superSlab;
        assertThat(pool.nextCandidate()).isSameAs(lower);
    }

    @Test
    void an_emptied_superslab_goes_to_the_lru_and_is_reused_before_anything_is_mapped() {
        List<SlabSlot> slots = assign(5);
        SharedSuperSlab b = slots.get(4).superSlab;
        giveBack(slots.get(4));
        assertThat(pool.inLru(b)).isTrue();
        assertThat(b.mapped).isTrue();
        long mmaps = os.syscalls().count(dev.slabworks.api.os.Syscall.MMAP);
        SlabSlot again = pool.assign(3, this, false, t);
        assertThat(again.superSlab).isSameAs(b);
        assertThat(t.get(Stat.LRU_HITS)).isEqualTo(1);
        assertThat(os.syscalls().count(dev.slabworks.api.os.Syscall.MMAP)).isEqualTo(mmaps);
    }

    @Test
    void past_the_lru_capacity_empty_superslabs_are_unmapped() {
        List<SlabSlot> slots = assign(12); // three full SuperSlabs; the LRU holds two
        for (SlabSlot s : slots) {
            giveBack(s);
        }
        assertThat(pool.lruSize()).isEqualTo(2);
        assertThat(pool.superSlabsMapped()).isEqualTo(2);
        assertThat(slots.get(0).superSlab.mapped).isFalse(); // the oldest emptied first and was evicted
        assertThat(t.get(Stat.LRU_EVICTIONS)).isEqualTo(1);
        assertThat(stats.gauge(Stat.SUPERSLABS)).isEqualTo(2);
        assertThat(t.get(Stat.SLABS_ASSIGNED)).isEqualTo(12);
        assertThat(t.get(Stat.SLABS_RETURNED)).isEqualTo(12);
    }

    @Test
    void a_returned_slab_stays_as_a_ghost_until_its_slot_is_reassigned() {
        SlabSlot s = assign(1).getFirst();
        var slab = s.slab;
        giveBack(s);
        assertThat(s.superSlab.slabs[s.index]).isSameAs(slab);
        assertThat(slab.owner).isNull();
        SlabSlot again = pool.assign(7, this, false, t);
        assertThat(again).isSameAs(s);
        assertThat(s.superSlab.slabs[s.index]).isNotSameAs(slab);
        assertThat(s.superSlab.slabs[s.index].sizeClass()).isEqualTo(7);
    }
}
