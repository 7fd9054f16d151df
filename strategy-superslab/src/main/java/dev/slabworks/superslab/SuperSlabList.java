package dev.slabworks.superslab;

/**
 * An intrusive doubly linked list of SuperSlabs (links live in {@link SuperSlab}): O(1) add, remove and
 * poll, no node objects. A SuperSlab is on at most one list at a time; {@link SuperSlab#list} says which.
 * Owned by one thread heap; not thread-safe.
 */
final class SuperSlabList {
    private SuperSlab head;
    private int size;

    void add(SuperSlab s) {
        if (s.list != null) {
            throw new IllegalStateException(s + " is on a list already");
        }
        s.list = this;
        s.prev = null;
        s.next = head;
        if (head != null) {
            head.prev = s;
        }
        head = s;
        size++;
    }

    void remove(SuperSlab s) {
        if (s.list != this) {
            throw new IllegalStateException(s + " is not on this list");
        }
        if (s.prev != null) {
            s.prev.next = s.next;
        } else {
            head = s.next;
        }
        if (s.next != null) {
            s.next.prev = s.prev;
        }
        s.prev = null;
        s.next = null;
        s.list = null;
        size--;
    }

    /** Removes and returns the first SuperSlab, or null. */
    SuperSlab poll() {
        SuperSlab s = head;
        if (s != null) {
            remove(s);
        }
        return s;
    }

    SuperSlab first() {
        return head;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return head == null;
    }
}
