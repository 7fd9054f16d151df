package dev.slabworks.api.direct;

/**
 * Every direct region whose mapping is mapped now, live or waiting in the cache: what
 * {@link DirectMappings#closeAll} must unmap. Intrusive (the links are fields of {@link DirectRegion}),
 * so adding and removing allocate nothing; changed only when a mapping is made or unmapped, which
 * costs a syscall anyway, so one lock is cheap here. A reuse from the cache does not touch it.
 *
 * <pre>
 *   head -> R1 <-> R2 <-> ... <-> Rn      (prev of head and next of Rn are null)
 * </pre>
 * Invariant: a region is in the list from just after its {@code mmap} to just before its {@code munmap},
 * exactly once.
 */
final class DirectRegionList {
    private DirectRegion head;
    private int size;

    synchronized void add(DirectRegion r) {
        r.prev = null;
        r.next = head;
        if (head != null) {
            head.prev = r;
        }
        head = r;
        size++;
    }

    synchronized void remove(DirectRegion r) {
        if (r.prev != null) {
            r.prev.next = r.next;
        } else if (head == r) {
            head = r.next;
        } else {
            throw new IllegalStateException("direct region at 0x" + Long.toHexString(r.base()) + " is not in the list");
        }
        if (r.next != null) {
            r.next.prev = r.prev;
        }
        r.prev = null;
        r.next = null;
        size--;
    }

    /** Removes and returns some region, or null when the list is empty. */
    synchronized DirectRegion poll() {
        DirectRegion r = head;
        if (r != null) {
            remove(r);
        }
        return r;
    }

    synchronized int size() {
        return size;
    }

    /** Regions whose block is live now (the others wait in the cache). Walks the list: diagnostics only. */
    synchronized int liveCount() {
        int n = 0;
        for (DirectRegion r = head; r != null; r = r.next) {
            if (r.isLive()) {
                n++;
            }
        }
        return n;
    }
}
