package dev.slabworks.api.slab;

import dev.slabworks.api.os.Mapping;
import dev.slabworks.api.os.Memory;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.sizeclass.SizeClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlabTest {
    private final Os os = new Os();
    private final Mapping memory = os.map(64 << 10);

    @AfterEach
    void release() {
        os.unmap(memory);
    }

    private Slab slab(int blockSize) {
        return new Slab(memory.address(), memory.size(), SizeClasses.classOf(blockSize));
    }

    /** Every block of {@code s}, allocated in carving order. */
    private static long[] allocateAll(Slab s) {
        long[] all = new long[s.capacity()];
        for (int i = 0; i < all.length; i++) {
            all[i] = s.allocate();
        }
        return all;
    }

    @Test
    void blocks_are_carved_in_order_until_the_slab_is_exhausted_and_never_twice() {
        Slab s = slab(48);
        Set<Long> seen = new HashSet<>();
        long p;
        while ((p = s.allocate()) != 0) {
            assertThat(seen.add(p)).isTrue();
            assertThat((p - s.base()) % 48).isZero();
            assertThat(p + 48).isLessThanOrEqualTo(memory.end());
        }
        assertThat(seen).hasSize(s.capacity()).hasSize((64 << 10) / 48);
        assertThat(s.isExhausted()).isTrue();
        assertThat(s.used()).isEqualTo(s.capacity());
        s.checkInvariants();
    }

    @Test
    void held_blocks_go_back_as_one_run_of_this_slab_and_the_owner_collects_them() {
        Mapping other = os.map(64 << 10);
        try {
            Slab s = slab(64);
            Slab t = new Slab(other.address(), other.size(), SizeClasses.classOf(64));
            long a = s.allocate();
            long b = s.allocate();
            long c = s.allocate();
            long x = t.allocate();
            s.markSharing();
            s.markShared();
            for (long p : new long[] {a, b, c}) {
                assertThat(s.claimFree(s.indexOf(p))).isTrue(); // another thread's free: now held FREE
            }
            long[] held = {b, a, x, c};

            assertThat(s.returnHeld(held, 0, held.length)).as("the run ends at the other slab's block").isEqualTo(2);
            assertThat(s.state(s.indexOf(a))).isEqualTo(Slab.REMOTE);
            assertThat(s.state(s.indexOf(c))).isEqualTo(Slab.FREE); // still held
            assertThat(s.returnHeld(held, 3, held.length)).isEqualTo(4);
            assertThat(s.used()).isEqualTo(3);

            assertThat(s.collectRemote()).isEqualTo(3);
            assertThat(s.isEmpty()).isTrue();
            s.checkInvariants();
            assertThat(t.used()).isEqualTo(1);
        } finally {
            os.unmap(other);
        }
    }

    @Test
    void index_of_accepts_block_starts_only() {
        Slab s = slab(160);
        assertThat(s.indexOf(s.base())).isZero();
        assertThat(s.indexOf(s.base() + 160 * 7)).isEqualTo(7);
        assertThat(s.indexOf(s.base() + 160 * 7 + 16)).isEqualTo(-1);
        assertThat(s.indexOf(s.base() + 1)).isEqualTo(-1);
        assertThat(s.indexOf(s.end())).isEqualTo(-1); // the tail past the last block
        assertThat(s.indexOf(s.base() + (64 << 10) - 16)).isEqualTo(-1);
    }

    @Test
    void a_freed_block_is_reused_first_and_the_slab_empties() {
        Slab s = slab(64);
        long a = s.allocate();
        long b = s.allocate();
        s.freeLocal(s.indexOf(a), a);
        assertThat(s.isAllocated(s.indexOf(a))).isFalse();
        assertThat(s.allocate()).isEqualTo(a);
        s.freeLocal(s.indexOf(a), a);
        s.freeLocal(s.indexOf(b), b);
        assertThat(s.isEmpty()).isTrue();
        s.checkInvariants();
    }

    @Test
    void blocks_taken_for_a_front_cache_stay_free_but_count_as_used_until_given_back() {
        Slab s = slab(32);
        long[] cache = new long[10];
        assertThat(s.take(cache, 2, 8)).isEqualTo(8);
        assertThat(s.used()).isEqualTo(8);
        for (int i = 2; i < 10; i++) {
            assertThat(s.state(s.indexOf(cache[i]))).isEqualTo(Slab.FREE);
        }
        s.markAllocated(s.indexOf(cache[2]));
        assertThat(s.isAllocated(s.indexOf(cache[2]))).isTrue();
        s.checkInvariants();
        for (int i = 3; i < 10; i++) {
            s.giveBack(cache[i]);
        }
        assertThat(s.used()).isEqualTo(1);
        s.checkInvariants();
    }

    @Test
    void remote_frees_wait_for_the_owner_to_collect_them() {
        Slab s = slab(16);
        long a = s.allocate();
        long b = s.allocate();
        assertThat(s.freeRemote(s.indexOf(a), a)).isTrue();
        assertThat(s.state(s.indexOf(a))).isEqualTo(Slab.REMOTE);
        assertThat(s.freeRemote(s.indexOf(a), a)).as("second remote free").isFalse();
        assertThat(s.hasRemote()).isTrue();
        assertThat(s.used()).isEqualTo(2);
        assertThat(s.collectRemote()).isEqualTo(1);
        assertThat(s.used()).isEqualTo(1);
        assertThat(s.hasRemote()).isFalse();
        assertThat(s.state(s.indexOf(a))).isEqualTo(Slab.FREE);
        s.freeLocal(s.indexOf(b), b);
        s.checkInvariants();
    }

    @Test
    void taken_remote_frees_are_handed_out_after_local_ones_and_count_as_used_until_then() {
        Slab s = slab(1024);
        long[] all = allocateAll(s);
        for (int i = 0; i < 3; i++) {
            assertThat(s.freeRemote(s.indexOf(all[i]), all[i])).isTrue();
        }
        assertThat(s.isExhausted()).isTrue();

        assertThat(s.takeRemote()).isTrue();
        assertThat(s.isExhausted()).isFalse();
        assertThat(s.hasRemote()).as("the taken chain waits for a collect too").isTrue();
        assertThat(s.used()).as("taken, not walked: still counted").isEqualTo(s.capacity());
        assertThat(s.freeRemote(s.indexOf(all[1]), all[1])).as("a second free of a taken block").isFalse();
        assertThat(s.claimFree(s.indexOf(all[1]))).isFalse();
        s.checkInvariants();

        s.freeLocal(s.indexOf(all[5]), all[5]);
        assertThat(s.allocate()).as("the local free list first").isEqualTo(all[5]);
        long[] cache = new long[4];
        assertThat(s.take(cache, 0, 4)).isEqualTo(3);
        assertThat(cache).containsOnly(all[0], all[1], all[2], 0L);
        assertThat(s.state(s.indexOf(all[0]))).as("held by a front cache: FREE").isEqualTo(Slab.FREE);
        assertThat(s.used()).isEqualTo(s.capacity());
        assertThat(s.isExhausted()).isTrue();
        assertThat(s.hasRemote()).isFalse();
        assertThat(s.takeRemote()).isFalse();
        s.checkInvariants();
    }

    @Test
    void collecting_walks_the_taken_chain_too_so_an_emptied_slab_reads_empty() {
        Slab s = slab(1024);
        long[] all = allocateAll(s);
        for (int i = 0; i < all.length / 2; i++) {
            s.freeRemote(s.indexOf(all[i]), all[i]);
        }
        assertThat(s.takeRemote()).isTrue();
        for (int i = all.length / 2; i < all.length; i++) {
            s.freeRemote(s.indexOf(all[i]), all[i]);
        }

        assertThat(s.collectRemote()).isEqualTo(all.length);
        assertThat(s.isEmpty()).isTrue();
        s.checkInvariants();
        Set<Long> again = new HashSet<>();
        long p;
        while ((p = s.allocate()) != 0) {
            assertThat(again.add(p)).isTrue();
        }
        assertThat(again).hasSize(all.length);
    }

    @Test
    void a_partly_carved_slab_hands_out_its_uncarved_blocks_before_the_taken_chain() {
        Slab s = slab(1024);
        long a = s.allocate();
        long b = s.allocate();
        s.freeRemote(s.indexOf(a), a);
        s.freeRemote(s.indexOf(b), b);
        assertThat(s.takeRemote()).isTrue();

        int uncarved = s.capacity() - 2;
        for (int i = 0; i < uncarved; i++) {
            long p = s.allocate();
            assertThat(p).as("block %d", i).isNotIn(a, b).isEqualTo(s.addressOf(i + 2));
        }
        assertThat(Set.of(s.allocate(), s.allocate())).containsExactlyInAnyOrder(a, b);
        assertThat(s.allocate()).isZero();
        s.checkInvariants();
    }

    /**
     * The owner hands blocks out (taking its remote stack when dry) while another thread frees them remotely, all the
     * time: no block is handed out while it is still live, and at the end every block is accounted for.
     */
    @Test
    void an_owner_taking_remote_frees_while_they_arrive_never_hands_out_a_live_block() throws Exception {
        Slab s = slab(256);
        s.markSharing();
        s.markShared();
        java.util.concurrent.ConcurrentHashMap<Long, Boolean> live = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.ArrayBlockingQueue<Long> toFree = new java.util.concurrent.ArrayBlockingQueue<>(s.capacity());
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger rejected = new AtomicInteger();
        Thread freer = Thread.ofPlatform().start(() -> {
            while (!done.get() || !toFree.isEmpty()) {
                Long p = toFree.poll();
                if (p != null) {
                    live.remove(p);
                    if (!s.freeRemote(s.indexOf(p), p)) {
                        rejected.incrementAndGet();
                    }
                }
            }
        });
        int handedOut = 0;
        while (handedOut < 200_000) {
            long p = s.allocate();
            if (p == 0) {
                if (s.hasRemote()) {
                    s.takeRemote();
                }
                continue;
            }
            assertThat(live.put(p, Boolean.TRUE)).as("0x%x handed out while live", p).isNull();
            toFree.put(p);
            handedOut++;
        }
        done.set(true);
        freer.join();

        assertThat(rejected.get()).isZero();
        assertThat(live).isEmpty();
        s.collectRemote();
        s.checkInvariants();
        assertThat(s.isEmpty()).isTrue();
    }

    @Test
    void taking_remote_frees_again_before_the_taken_ones_are_out_is_refused() {
        Slab s = slab(1024);
        long a = s.allocate();
        long b = s.allocate();
        s.freeRemote(s.indexOf(a), a);
        assertThat(s.takeRemote()).isTrue();
        s.freeRemote(s.indexOf(b), b);

        assertThatThrownBy(s::takeRemote).isInstanceOf(IllegalStateException.class);
        assertThat(s.collectRemote()).as("nothing lost by the refusal").isEqualTo(2);
    }

    @Test
    void a_write_into_a_remotely_freed_block_does_not_redirect_the_remote_chain() {
        Slab s = slab(1024);
        long[] all = allocateAll(s);
        s.freeRemote(s.indexOf(all[0]), all[0]);
        s.freeRemote(s.indexOf(all[1]), all[1]);
        s.takeRemote();
        s.freeRemote(s.indexOf(all[2]), all[2]);
        for (int i = 0; i < 3; i++) { // a use after free, where an intrusive chain would keep its link
            Memory.putLong(all[i], all[5]);
        }
        s.checkInvariants();

        assertThat(new long[] {s.allocate(), s.allocate(), s.allocate()}).as("the taken chain, then nothing")
                .containsExactlyInAnyOrder(all[0], all[1], 0L);
        assertThat(s.collectRemote()).as("the stack's one block").isEqualTo(1);
        assertThat(s.allocate()).isEqualTo(all[2]);
        assertThat(s.isAllocated(s.indexOf(all[5]))).as("never handed out while live").isTrue();
        s.checkInvariants();
    }

    @Test
    void check_invariants_notices_a_taken_chain_through_a_block_that_is_not_remote_or_around_a_cycle() {
        Slab s = slab(1024);
        long[] all = allocateAll(s);
        s.freeRemote(s.indexOf(all[0]), all[0]);
        s.takeRemote();
        byte[] state = new byte[s.capacity()];
        for (int i = 0; i < state.length; i++) {
            state[i] = s.state(i);
        }
        int n = s.capacity();
        int[][] links = RemoteLinks.newPages(n);
        RemoteLinks.set(links, 0, 0);
        SlabInvariants.check(s, 0, 1, n, n, state, links); // block 0 alone: as the slab has it

        RemoteLinks.set(links, 0, 2); // on to block 1, which is allocated
        assertThatThrownBy(() -> SlabInvariants.check(s, 0, 1, n, n, state, links))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("taken chain holds block 1");
        RemoteLinks.set(links, 0, 1); // back to itself
        assertThatThrownBy(() -> SlabInvariants.check(s, 0, 1, n, n, state, links))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("taken chain has a cycle");
    }

    @Test
    void of_many_threads_freeing_the_same_blocks_exactly_one_wins_each_and_none_is_lost() throws Exception {
        Slab s = slab(16);
        int n = s.capacity();
        long[] blocks = allocateAll(s);
        int threads = 4;
        AtomicInteger wins = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
                for (long p : blocks) {
                    if (s.freeRemote(s.indexOf(p), p)) {
                        wins.incrementAndGet();
                    }
                }
            });
        }
        start.countDown();
        for (Thread t : ts) {
            t.join();
        }
        assertThat(wins.get()).isEqualTo(n);
        assertThat(s.collectRemote()).isEqualTo(n);
        assertThat(s.isEmpty()).isTrue();
        s.checkInvariants();
        Set<Long> again = new HashSet<>();
        long p;
        while ((p = s.allocate()) != 0) {
            again.add(p);
        }
        assertThat(again).hasSize(n);
    }

    @Test
    void check_invariants_notices_a_corrupted_free_list() {
        Slab s = slab(64);
        long a = s.allocate();
        s.allocate();
        s.freeLocal(s.indexOf(a), a);
        dev.slabworks.api.os.Memory.putLong(a, a); // a cycle, as a use-after-free write would make
        org.assertj.core.api.Assertions.assertThatThrownBy(s::checkInvariants).isInstanceOf(IllegalStateException.class);
    }
}
