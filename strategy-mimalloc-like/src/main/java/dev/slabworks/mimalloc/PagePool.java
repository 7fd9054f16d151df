package dev.slabworks.mimalloc;

import dev.slabworks.api.Region;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.RegionMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The pages no heap owns, shared by all heaps, and the segments they come from. Slow path only:
 * every method takes this pool's lock.
 *
 * <p>Reuse before purge before map: a page taken back is pushed on {@code warm} (newest first) and
 * reused from there; a page that stayed in the pool longer than {@code purge.delay.ms} has its
 * memory given back with {@code madvise} and moves to {@code purged}; only when both are empty is
 * a new segment mapped. Segments stay mapped until {@link #close}, so a steady workload makes no
 * {@code mmap} or {@code munmap} after warm-up (the seed's Box 1 churn cannot happen here).
 */
final class PagePool {
    private final Os os;
    private final Stats stats;
    private final RegionMap<Region> regions;
    private final long segmentSize;
    private final long pageSize;
    private final long purgeDelayNanos; // < 0: never purge
    private final Advice purgeAdvice;
    private final List<Segment> segments = new ArrayList<>();
    private final ArrayDeque<Page> warm = new ArrayDeque<>();
    private final ArrayDeque<Page> purged = new ArrayDeque<>();

    PagePool(Os os, Stats stats, RegionMap<Region> regions, long segmentSize, long pageSize,
             long purgeDelayMs, Advice purgeAdvice) {
        this.os = os;
        this.stats = stats;
        this.regions = regions;
        this.segmentSize = segmentSize;
        this.pageSize = pageSize;
        this.purgeDelayNanos = purgeDelayMs < 0 ? -1 : purgeDelayMs * 1_000_000L;
        this.purgeAdvice = purgeAdvice;
    }

    long pageSize() {
        return pageSize;
    }

    /** A page for {@code heap}, class {@code cls}: warm, else purged, else from a new segment. */
    synchronized Page acquire(Heap heap, int cls) {
        Page p = warm.pollFirst();
        if (p == null) {
            p = purged.pollFirst();
        }
        if (p == null) {
            Segment s = new Segment(os.mapAligned(segmentSize, segmentSize), pageSize);
            regions.register(s);
            segments.add(s);
            stats.gaugeAdd(Stat.SEGMENTS, 1);
            for (int i = s.pages.length - 1; i > 0; i--) {
                purged.addFirst(s.pages[i]); // fresh pages are untouched: no purge needed
            }
            p = s.pages[0];
        }
        p.purged = false;
        p.assign(heap, cls, pageSize);
        return p;
    }

    /** Takes back a page whose heap no longer uses it, and purges pages idle for longer than the delay. */
    synchronized void release(Page p, ThreadStats ts) {
        p.retire();
        ts.increment(Stat.PAGES_RETIRED);
        long now = System.nanoTime();
        p.retiredAtNanos = now;
        warm.addFirst(p);
        if (purgeDelayNanos < 0) {
            return;
        }
        for (Page oldest = warm.peekLast(); oldest != null && now - oldest.retiredAtNanos >= purgeDelayNanos;
             oldest = warm.peekLast()) {
            warm.pollLast();
            os.advise(oldest.start, pageSize, purgeAdvice);
            oldest.purged = true;
            purged.addLast(oldest);
            ts.increment(Stat.SLABS_PURGED);
        }
    }

    synchronized int segmentCount() {
        return segments.size();
    }

    /** Every page of every segment (tests and debug checks). */
    synchronized void forEachPage(Consumer<Page> action) {
        for (Segment s : segments) {
            for (Page p : s.pages) {
                action.accept(p);
            }
        }
    }

    /** Unmaps every segment. */
    synchronized void close() {
        for (Segment s : segments) {
            regions.unregister(s);
            os.unmap(s.mapping());
            stats.gaugeAdd(Stat.SEGMENTS, -1);
        }
        segments.clear();
        warm.clear();
        purged.clear();
    }
}
