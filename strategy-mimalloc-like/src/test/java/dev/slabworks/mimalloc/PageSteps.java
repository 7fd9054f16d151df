package dev.slabworks.mimalloc;

import dev.slabworks.api.sizeclass.SizeClasses;

import static org.assertj.core.api.Assertions.assertThat;

/** A page of 64-byte blocks set up by hand, and the allocator's steps on it, for tests that pin one page's states. */
final class PageSteps {
    static final long PAGE = 64 << 10;
    static final int BLOCK = 64;

    private PageSteps() {
    }

    /** A page of 64-byte blocks owned by {@code owner} (null: none, and then checkInvariants checks nothing). */
    static Page page(Heap owner) {
        Page p = new Page(null, 1L << 30, PAGE);
        p.assign(owner, SizeClasses.classOf(BLOCK), PAGE, (int) (PAGE / BLOCK));
        return p;
    }

    /** The allocate fast path's steps, on {@code p} (and its slow path's refill when {@code free} is empty). */
    static int allocate(Page p) {
        if (p.free == Page.NONE) {
            assertThat(p.refill()).isTrue();
        }
        int b = p.free;
        p.free = p.link[b];
        p.link[b] = Page.ALLOCATED;
        p.used++;
        p.uncountedAllocations++;
        return b;
    }

    /** What a first remote freer does to the page before its free: marked, fenced, shared. */
    static void share(Page p) {
        p.markSharing();
        p.markShared();
    }
}
