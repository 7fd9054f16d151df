package dev.slabworks.api.list;

/**
 * A doubly linked list whose links live in its elements (Linux's {@code list_head}, mimalloc's page queues): each
 * element holds a {@link Link} of its own, made with it, so adding and removing allocate nothing, an element is
 * taken out of the middle in O(1), and an element knows which list holds it. The strategies keep their slabs,
 * SuperSlabs, pages and segments on these, and api its direct mappings.
 *
 * <pre>
 *   first -> [e1.link] <-> [e2.link] <-> ... <-> [en.link] <- last        link.list() == this for each
 *   an element on two lists at once has two links (a page: its heap's queue and the pool's lists)
 * </pre>
 *
 * <p>Calls take the element's link and give back elements. A walk that may remove the element it stands on reads
 * the next one first: {@code for (S s = list.first(); s != null; s = next) { next = s.link.next(); ... }}.
 * Adding a link that is on a list, or removing one from a list that does not hold it, throws
 * {@link IllegalStateException}: a bug, caught before it corrupts two lists.
 *
 * <p>Not thread-safe: each user guards its lists as it guards the rest of the state they belong to (a heap's by
 * its owner thread, a pool's by the pool's lock).
 */
public final class IntrusiveList<T> {
    private Link<T> first;
    private Link<T> last;
    private int size;

    /** One element's place in one list; a final field of the element, made with it. */
    public static final class Link<T> {
        private final T element;
        private Link<T> prev;
        private Link<T> next;
        private IntrusiveList<T> list;

        public Link(T element) {
            this.element = element;
        }

        public T element() {
            return element;
        }

        /** The list holding this link now, or null. */
        public IntrusiveList<T> list() {
            return list;
        }

        public boolean isLinked() {
            return list != null;
        }

        /** The element after this one on its list, or null (also when this link is on no list). */
        public T next() {
            return next == null ? null : next.element;
        }

        /** The element before this one on its list, or null. */
        public T prev() {
            return prev == null ? null : prev.element;
        }
    }

    /** {@code length} empty lists: one per size class, say. */
    @SuppressWarnings("unchecked")
    public static <T> IntrusiveList<T>[] array(int length) {
        IntrusiveList<T>[] lists = new IntrusiveList[length];
        for (int i = 0; i < length; i++) {
            lists[i] = new IntrusiveList<>();
        }
        return lists;
    }

    /** Puts {@code link}, on no list, first. */
    public void addFirst(Link<T> link) {
        claim(link);
        link.next = first;
        if (first != null) {
            first.prev = link;
        } else {
            last = link;
        }
        first = link;
    }

    /** Puts {@code link}, on no list, last. */
    public void addLast(Link<T> link) {
        claim(link);
        link.prev = last;
        if (last != null) {
            last.next = link;
        } else {
            first = link;
        }
        last = link;
    }

    /** Takes {@code link}, which must be on this list, out of it. */
    public void remove(Link<T> link) {
        if (link.list != this) {
            throw new IllegalStateException(link.element + " is not on this list");
        }
        Link<T> p = link.prev;
        Link<T> n = link.next;
        if (p != null) {
            p.next = n;
        } else {
            first = n;
        }
        if (n != null) {
            n.prev = p;
        } else {
            last = p;
        }
        link.prev = null;
        link.next = null;
        link.list = null;
        size--;
    }

    /** The first element, or null. */
    public T first() {
        return first == null ? null : first.element;
    }

    /** The last element, or null. */
    public T last() {
        return last == null ? null : last.element;
    }

    /** Removes and returns the first element, or null. */
    public T pollFirst() {
        Link<T> l = first;
        if (l == null) {
            return null;
        }
        remove(l);
        return l.element;
    }

    /** Removes and returns the last element, or null. */
    public T pollLast() {
        Link<T> l = last;
        if (l == null) {
            return null;
        }
        remove(l);
        return l.element;
    }

    /** Whether {@code link} is on this list: O(1). */
    public boolean contains(Link<T> link) {
        return link.list == this;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return first == null;
    }

    /** Takes every link off. */
    public void clear() {
        while (first != null) {
            remove(first);
        }
    }

    private void claim(Link<T> link) {
        if (link.list != null) {
            throw new IllegalStateException(link.element + " is on a list already");
        }
        link.list = this;
        link.prev = null;
        link.next = null;
        size++;
    }
}
