package dev.slabworks.mimalloc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.slabworks.mimalloc.PageSteps.allocate;
import static dev.slabworks.mimalloc.PageSteps.page;
import static dev.slabworks.mimalloc.PageSteps.share;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the remote-free list kept in the blocks' own entries (Page: a REMOTE_FREED entry holds its successor on
 * {@code threadFree}): every block pushed is found again by the owner's collection, none twice, and a second free
 * of a block on the list is refused whatever successor its entry holds.
 */
class ThreadFreeListTest {
    /** A page with an owner, so that checkInvariants checks (the heap's own parts are not used here), shared. */
    private static Page sharedPage() {
        Page p = page(new Heap(Thread.currentThread(), null, null, null, null, null));
        share(p);
        return p;
    }

    @Test
    void each_entry_on_the_list_names_the_block_pushed_before_it() {
        Page p = sharedPage();
        int a = allocate(p);
        int b = allocate(p);
        int c = allocate(p);
        assertThat(p.remoteFree(b)).isTrue();
        assertThat(p.remoteFree(a)).isTrue();
        assertThat(p.remoteFree(c)).isTrue();

        assertThat(p.link[b]).as("first pushed: last on the list").isEqualTo(Page.REMOTE_FREED);
        assertThat(Page.remoteSuccessor(p.link[a])).isEqualTo(b);
        assertThat(Page.remoteSuccessor(p.link[c])).isEqualTo(a);
        for (int s : new int[] {p.link[a], p.link[b], p.link[c]}) {
            assertThat(Page.isRemoteFreed(s)).isTrue();
            assertThat(s).as("never read as FREE or ALLOCATED").isLessThan(Page.ALLOCATED);
        }
        p.checkInvariants(true);
    }

    @Test
    void a_block_on_the_list_cannot_be_freed_again_by_anyone() {
        Page p = sharedPage();
        int a = allocate(p);
        int b = allocate(p);
        assertThat(p.remoteFree(a)).isTrue();
        assertThat(p.remoteFree(b)).isTrue(); // b's entry names a (not the constant REMOTE_FREED), still not ALLOCATED

        assertThat(p.remoteFree(b)).as("second remote free").isFalse();
        assertThat(p.freeLocal(b)).as("owner free of a remotely freed block").isFalse();
        assertThat(Page.remoteSuccessor(p.link[b])).isEqualTo(a);
        p.checkInvariants(true);
    }

    @Test
    void a_push_that_finds_the_head_moved_rewrites_the_successor_before_it_lands() {
        Page p = sharedPage();
        int a = allocate(p);
        int b = allocate(p);
        int headSeenByA = Page.NONE;
        assertThat(p.claimRemote(a, headSeenByA)).isTrue(); // a's freer read the head, claimed a, and was delayed
        assertThat(p.remoteFree(b)).isTrue(); // another freer pushed b meanwhile
        p.pushRemote(a, headSeenByA); // a's CAS on the head fails once, then a lands on top of b

        assertThat(Page.remoteSuccessor(p.link[a])).isEqualTo(b);
        assertThat(p.link[b]).isEqualTo(Page.REMOTE_FREED);
        p.checkInvariants(true);
        p.collectThreadFrees();
        assertThat(p.used).isZero();
        p.checkInvariants(true);
    }

    @Test
    void collection_returns_every_pushed_block_once_and_the_page_counts_them() {
        Page p = sharedPage();
        SplittableRandom r = new SplittableRandom(7);
        List<Integer> live = new ArrayList<>();
        int pushed = 0;
        for (int batch = 0; batch < 50; batch++) {
            while (live.size() < 200) {
                live.add(allocate(p));
            }
            for (int k = r.nextInt(1, 150); k > 0; k--) {
                assertThat(p.remoteFree(live.remove(r.nextInt(live.size())))).isTrue();
                pushed++;
            }
            p.checkInvariants(true);
            int usedBefore = p.used;
            int freeBefore = listLength(p, p.free);
            p.collectThreadFrees();

            assertThat(p.hasThreadFrees()).isFalse();
            assertThat(p.used).isEqualTo(live.size());
            assertThat(listLength(p, p.free) - freeBefore).isEqualTo(usedBefore - p.used);
            p.checkInvariants(true);
        }
        assertThat(pushed).isGreaterThan(1000);
    }

    private static int listLength(Page p, int head) {
        int n = 0;
        for (int b = head; b != Page.NONE; b = p.link[b]) {
            n++;
        }
        return n;
    }
}
