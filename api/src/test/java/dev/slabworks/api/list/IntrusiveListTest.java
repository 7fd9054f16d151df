package dev.slabworks.api.list;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slabworks.api.list.IntrusiveList.Link;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntrusiveListTest {
    /** An element with the two links a page has: one per list it can be on at once. */
    private static final class Item {
        final int id;
        final Link<Item> a = new Link<>(this);
        final Link<Item> b = new Link<>(this);

        Item(int id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "item " + id;
        }
    }

    @Test
    void elements_come_out_at_the_end_they_went_in_and_from_the_middle_in_order() {
        IntrusiveList<Item> list = new IntrusiveList<>();
        Item[] items = {new Item(0), new Item(1), new Item(2), new Item(3)};
        list.addLast(items[1].a);
        list.addLast(items[2].a);
        list.addFirst(items[0].a);
        list.addLast(items[3].a);
        assertThat(walk(list)).containsExactly(0, 1, 2, 3);
        list.remove(items[2].a);
        assertThat(walk(list)).containsExactly(0, 1, 3);
        assertThat(items[1].a.next()).isSameAs(items[3]);
        assertThat(items[3].a.prev()).isSameAs(items[1]);
        assertThat(list.pollLast()).isSameAs(items[3]);
        assertThat(list.pollFirst()).isSameAs(items[0]);
        assertThat(list.first()).isSameAs(items[1]).isSameAs(list.last());
        assertThat(list.size()).isEqualTo(1);
        assertThat(items[2].a.isLinked()).isFalse();
        assertThat(items[2].a.next()).isNull();
    }

    @Test
    void an_element_knows_its_list_and_may_be_on_two_through_two_links() {
        IntrusiveList<Item> warm = new IntrusiveList<>();
        IntrusiveList<Item> queue = new IntrusiveList<>();
        Item x = new Item(7);
        warm.addFirst(x.a);
        queue.addFirst(x.b);
        assertThat(x.a.list()).isSameAs(warm);
        assertThat(queue.contains(x.b)).isTrue();
        assertThat(warm.contains(x.b)).isFalse();
        warm.clear();
        assertThat(x.a.list()).isNull();
        assertThat(warm.isEmpty()).isTrue();
        assertThat(queue.first()).isSameAs(x);
    }

    @Test
    void linking_a_linked_element_or_removing_one_from_the_wrong_list_is_refused() {
        IntrusiveList<Item> one = new IntrusiveList<>();
        IntrusiveList<Item> other = new IntrusiveList<>();
        Item x = new Item(1);
        one.addFirst(x.a);
        assertThatThrownBy(() -> other.addLast(x.a)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
        assertThatThrownBy(() -> other.remove(x.a)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not on this list");
        assertThat(walk(one)).containsExactly(1);
        assertThat(other.size()).isZero();
    }

    /** Any sequence of operations agrees with a {@link LinkedList} of the same elements. */
    @FuzzTest(maxDuration = "10s")
    void any_operation_sequence_agrees_with_a_linked_list(FuzzedDataProvider data) {
        IntrusiveList<Item> list = new IntrusiveList<>();
        LinkedList<Item> model = new LinkedList<>();
        Item[] items = new Item[16];
        for (int i = 0; i < items.length; i++) {
            items[i] = new Item(i);
        }
        while (data.remainingBytes() > 0) {
            Item x = items[data.consumeInt(0, items.length - 1)];
            switch (data.consumeInt(0, 4)) {
                case 0, 1 -> {
                    if (!x.a.isLinked()) {
                        if (data.consumeBoolean()) {
                            list.addFirst(x.a);
                            model.addFirst(x);
                        } else {
                            list.addLast(x.a);
                            model.addLast(x);
                        }
                    }
                }
                case 2 -> {
                    if (x.a.isLinked()) {
                        list.remove(x.a);
                        model.remove(x);
                    }
                }
                case 3 -> assertThat(list.pollFirst()).isSameAs(model.pollFirst());
                default -> assertThat(list.pollLast()).isSameAs(model.pollLast());
            }
            assertThat(list.size()).isEqualTo(model.size());
            assertThat(walkItems(list)).containsExactlyElementsOf(model);
            for (Item i : items) {
                assertThat(list.contains(i.a)).isEqualTo(model.contains(i));
            }
        }
    }

    private static List<Integer> walk(IntrusiveList<Item> list) {
        return walkItems(list).stream().map(i -> i.id).toList();
    }

    private static List<Item> walkItems(IntrusiveList<Item> list) {
        List<Item> out = new ArrayList<>();
        Item prev = null;
        for (Item i = list.first(); i != null; i = i.a.next()) {
            assertThat(i.a.prev()).isSameAs(prev);
            out.add(i);
            prev = i;
        }
        assertThat(list.last()).isSameAs(prev);
        return out;
    }
}
