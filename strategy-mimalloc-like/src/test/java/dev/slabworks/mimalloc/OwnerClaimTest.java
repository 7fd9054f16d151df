package dev.slabworks.mimalloc;

import org.junit.jupiter.api.Test;

import static dev.slabworks.mimalloc.PageSteps.allocate;
import static dev.slabworks.mimalloc.PageSteps.page;
import static dev.slabworks.mimalloc.PageSteps.share;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the page's side of an owner free racing a remote free of the same block (Page, "An owner free against
 * a remote free"): the owner's claim in {@code localFree} makes a remote free lose while the page is not yet
 * settled, a settled page leaves the decision to the CAS alone, and no step leaves a block on two lists. The
 * interleavings are set up by hand: the claim stored, the owner's plain check and store not yet run.
 */
class OwnerClaimTest {
    @Test
    void a_remote_free_of_a_block_the_owner_has_claimed_loses_and_the_owner_frees_it() {
        Page p = page(null);
        int b = allocate(p);
        p.localFree = b; // the owner's claim is stored; its check of link[b] has not run yet
        share(p); // a remote freer marked the page and fenced: the claim is visible to it
        assertThat(p.remoteFree(b)).as("remote free of a claimed block").isFalse();
        assertThat(p.link[b]).isEqualTo(Page.ALLOCATED);
        assertThat(p.hasThreadFrees()).isFalse();

        p.localFree = Page.NONE; // the owner's free, run from the start now that the page is shared
        assertThat(p.freeLocal(b)).isTrue();
        assertThat(p.localFree).isEqualTo(b);
        assertThat(p.remoteFree(b)).as("remote free of a block on localFree").isFalse();
    }

    @Test
    void a_remote_free_of_another_block_is_not_held_up_by_the_claim() {
        Page p = page(null);
        int b = allocate(p);
        int c = allocate(p);
        p.localFree = b;
        share(p);
        assertThat(p.remoteFree(c)).isTrue();
        assertThat(p.link[c]).isEqualTo(Page.REMOTE_FREED); // the only remote free: last on threadFree
    }

    @Test
    void once_settled_the_cas_alone_decides_and_the_loser_withdraws_its_claim() {
        Page p = page(null);
        int a = allocate(p);
        int b = allocate(p);
        share(p);
        assertThat(p.freeLocal(a)).isTrue(); // the owner's first free after sharing settles the page
        assertThat(p.share).isEqualTo(Page.SETTLED);

        assertThat(p.remoteFree(b)).isTrue(); // a claim on b could not be plain any more: the CAS decides
        assertThat(p.freeLocal(b)).as("owner free after the remote one won").isFalse();
        assertThat(p.localFree).as("the failed free's claim is withdrawn").isEqualTo(a);
    }

    @Test
    void a_refill_of_a_shared_page_settles_it_and_marking_it_shared_again_does_not_undo_that() {
        Page p = page(null);
        int b = allocate(p);
        p.markSharing();
        assertThat(p.isShared()).as("sharing, not yet fenced").isFalse();
        p.refill();
        assertThat(p.share).isEqualTo(Page.SETTLED);
        p.markShared(); // the remote freer that marked it, after its fence
        assertThat(p.share).isEqualTo(Page.SETTLED);
        assertThat(p.isShared()).isTrue();
        assertThat(p.remoteFree(b)).isTrue();
    }

    @Test
    void a_private_page_stays_private_through_frees_and_refills() {
        Page p = page(null);
        int b = allocate(p);
        assertThat(p.freeLocal(b)).isTrue();
        p.refill();
        assertThat(p.share).isZero();
    }

    @Test
    void a_local_double_free_changes_nothing() {
        Page p = page(null);
        int a = allocate(p);
        int b = allocate(p);
        assertThat(p.freeLocal(a)).isTrue();
        assertThat(p.freeLocal(b)).isTrue();
        assertThat(p.freeLocal(a)).isFalse();
        assertThat(p.localFree).isEqualTo(b);
        assertThat(p.link[b]).isEqualTo(a);
    }

    @Test
    void taking_the_local_list_drops_the_claim_so_a_block_allocated_again_can_be_freed_remotely() {
        Page p = page(null);
        int b = allocate(p);
        assertThat(p.freeLocal(b)).isTrue();
        share(p);
        assertThat(p.remoteFree(b)).isFalse(); // free, and claimed: a double free either way
        p.free = p.localFree; // the allocate fast path's swap (a refill would settle the page)
        p.clearLocalFree();
        assertThat(p.localFree).isEqualTo(Page.NONE);
        assertThat(allocate(p)).isEqualTo(b);
        assertThat(p.share).isEqualTo(Page.SHARED);
        assertThat(p.remoteFree(b)).isTrue();
    }
}
