package dev.slabworks.api.slab;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteLinksTest {
    @Test
    void onlyThePagesARemoteFreeTouchedAreMade() {
        int[][] links = RemoteLinks.newPages(3 * RemoteLinks.PAGE - 5);
        assertThat((Object[]) links).hasSize(3).containsOnlyNulls();

        RemoteLinks.set(links, 2 * RemoteLinks.PAGE + 7, 42);

        assertThat(links[0]).isNull();
        assertThat(links[1]).isNull();
        assertThat(links[2]).hasSize(RemoteLinks.PAGE);
        assertThat(RemoteLinks.next(links, 2 * RemoteLinks.PAGE + 7)).isEqualTo(42);
        assertThat(RemoteLinks.next(links, 2 * RemoteLinks.PAGE + 8)).as("a new page reads 0: the end of a chain").isZero();
    }

    @Test
    void twoThreadsMakingOnePageAtOnceGetTheSameOneAndNoLinkIsLost() throws Exception {
        for (int round = 0; round < 500; round++) {
            int[][] links = RemoteLinks.newPages(RemoteLinks.PAGE);
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicReference<int[]> other = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                int[] page = RemoteLinks.pageFor(links, 1);
                page[1] = 11;
                other.set(page);
            });
            start.await();
            int[] mine = RemoteLinks.pageFor(links, 0);
            mine[0] = 10;
            t.join();
            assertThat(other.get()).isSameAs(mine).isSameAs(links[0]);
            assertThat(RemoteLinks.next(links, 0)).isEqualTo(10);
            assertThat(RemoteLinks.next(links, 1)).isEqualTo(11);
        }
    }
}
