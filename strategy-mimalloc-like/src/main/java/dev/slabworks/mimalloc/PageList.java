package dev.slabworks.mimalloc;

/**
 * An intrusive doubly-linked list of pooled {@link Page}s, through {@link Page#poolPrev} /
 * {@link Page#poolNext}; a page knows the list holding it ({@link Page#poolList}), so any page can be
 * taken out in O(1) (when its segment is unmapped) without allocating. A page is on at most one list.
 * Used under the {@link PagePool}'s lock only.
 */
final class PageList {
    private Page head;
    private Page tail;
    private int size;

    void addFirst(Page p) {
        p.poolList = this;
        p.poolPrev = null;
        p.poolNext = head;
        if (head != null) {
            head.poolPrev = p;
        } else {
            tail = p;
        }
        head = p;
        size++;
    }

    void addLast(Page p) {
        p.poolList = this;
        p.poolNext = null;
        p.poolPrev = tail;
        if (tail != null) {
            tail.poolNext = p;
        } else {
            head = p;
        }
        tail = p;
        size++;
    }

    Page peekLast() {
        return tail;
    }

    Page pollFirst() {
        Page p = head;
        if (p != null) {
            remove(p);
        }
        return p;
    }

    Page pollLast() {
        Page p = tail;
        if (p != null) {
            remove(p);
        }
        return p;
    }

    /** Takes {@code p}, which must be on this list, out of it. */
    void remove(Page p) {
        Page prev = p.poolPrev;
        Page next = p.poolNext;
        if (prev != null) {
            prev.poolNext = next;
        } else {
            head = next;
        }
        if (next != null) {
            next.poolPrev = prev;
        } else {
            tail = prev;
        }
        p.poolPrev = null;
        p.poolNext = null;
        p.poolList = null;
        size--;
    }

    int size() {
        return size;
    }

    void clear() {
        while (head != null) {
            remove(head);
        }
    }
}
