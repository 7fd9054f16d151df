package dev.slabworks.mimalloc;

import dev.slabworks.api.Region;
import dev.slabworks.api.list.IntrusiveList;
import dev.slabworks.api.os.Advice;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.SyscallCause;
import dev.slabworks.api.purge.PurgeDelay;
import dev.slabworks.api.sizeclass.SizeClasses;
import dev.slabworks.api.stats.Stat;
import dev.slabworks.api.stats.Stats;
import dev.slabworks.api.stats.ThreadStats;
import dev.slabworks.api.validate.RegionMap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The pages no heap owns, shared by all heaps, and the segments they come from. Slow path only:
 * every method takes this pool's lock.
 *
 * <p>Two page sizes (after mimalloc's small and medium pages): a class of which a small page
 * ({@code page.size}) would hold fewer than {@code page.small.min.blocks} blocks gets medium pages
 * ({@code page.medium.size}) instead, so a large class does not fill its page after a few dozen
 * blocks and send its heap through the slow path for another one. Extension stays 4 KiB at a time
 * ({@link Page}), so a bigger page does not spread a class's blocks over more memory. Every segment
 * is cut into pages of one size, its <em>kind</em>; each kind has its own {@code warm} and
 * {@code purged} lists, and the LRU of empty segments is shared.
 *
 * <pre>
 *   kindOf[cls] = SMALL  if page.size / blockSize(cls) &gt;= page.small.min.blocks (or no medium pages)
 *                 MEDIUM otherwise
 * </pre>
 *
 * <p>Reuse before purge before map: a page taken back is pushed on {@code warm} (newest first) and
 * reused from there; a page that stayed in the pool longer than the purge delay ({@code purge.delay.ms},
 * adaptive: {@link PurgeDelay}) has its
 * memory given back with {@code madvise} and moves to {@code purged}; only when both are empty is
 * a new segment mapped.
 *
 * <p>Segments (mimalloc's segment cache, in the SuperSlab strategies' terms): a segment whose last
 * owned page comes back is empty and goes to the front of an LRU of empty segments, which keeps at most
 * {@code ss.lru.size} of them (the knob the SuperSlab strategies use for their LRU of empty SuperSlabs;
 * a segment is this strategy's unit), and no more mapped bytes than that many segments of
 * {@code segment.size}: a segment the kernel did not place aligned at once is an over-reserved
 * mapping (see {@code Os.mapAligned}) and counts for what it reserves. The oldest one past either
 * bound is unregistered and unmapped at once, its pages taken off {@code warm}/{@code purged}
 * ({@code LRU_EVICTIONS}); 0 unmaps every segment as it empties. Taking a page of an empty segment takes the segment off the LRU. So a steady workload
 * makes no {@code mmap} or {@code munmap} after warm-up, and memory comes back once pages come back:
 * by their owners, or by {@code trim()} and the reclamation of ended threads' heaps.
 * {@link #trim} also purges the pages due.
 */
final class PagePool {
    private final Os os;
    private final Stats stats;
    private final RegionMap<Region> regions;
    static final int SMALL = 0;
    static final int MEDIUM = 1;

    private final long segmentSize;
    /** Page size by kind. */
    private final long[] pageSize;
    /** Blocks of the smallest class of each kind that fit a page of that kind: the length of a page's arrays. */
    private final int[] maxBlocks = new int[2];
    /** Kind by size class. */
    private final byte[] kindOf = new byte[SizeClasses.COUNT];
    private final PurgeDelay purgeDelay;
    private final Advice purgeAdvice;
    private final int emptySegmentsKept;
    private final long emptyBytesKept;
    /** Segments mapped now. */
    private final List<Segment> segments = new ArrayList<>();
    /** By kind: pages taken back, newest first; pages purged. */
    private final IntrusiveList<Page>[] warm = IntrusiveList.array(2);
    private final IntrusiveList<Page>[] purged = IntrusiveList.array(2);
    /**
     * LRU of empty segments: newest first, evicted from the end. Not api's SuperSlabLru: a segment leaves it from
     * anywhere in the middle as soon as one of its pages is taken, and it is bounded in bytes as well as count.
     */
    private final IntrusiveList<Segment> empty = new IntrusiveList<>();
    /** Bytes the empty segments' mappings reserve. */
    private long emptyBytes;

    PagePool(Os os, Stats stats, RegionMap<Region> regions, long segmentSize, long smallPageSize, long mediumPageSize,
             int smallMinBlocks, long purgeDelayMs, long purgeDelayMaxMs, Advice purgeAdvice, int emptySegmentsKept) {
        this.os = os;
        this.stats = stats;
        this.regions = regions;
        this.segmentSize = segmentSize;
        this.pageSize = new long[] {smallPageSize, mediumPageSize};
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            boolean medium = mediumPageSize > smallPageSize && smallPageSize / SizeClasses.size(c) < smallMinBlocks;
            kindOf[c] = (byte) (medium ? MEDIUM : SMALL);
            int kind = kindOf[c];
            maxBlocks[kind] = Math.max(maxBlocks[kind], (int) (pageSize[kind] / SizeClasses.size(c)));
        }
        this.purgeDelay = new PurgeDelay(purgeDelayMs, purgeDelayMaxMs);
        this.purgeAdvice = purgeAdvice;
        this.emptySegmentsKept = emptySegmentsKept;
        this.emptyBytesKept = emptySegmentsKept * segmentSize;
    }

    /**
     * A page for {@code heap}, class {@code cls}: warm, else purged, else from a new segment. Taking the first page of
     * an empty segment takes the segment off the LRU ({@code LRU_HITS}); mapping a new one is an {@code LRU_MISSES}.
     * Counted in the heap's row: only its own thread calls this.
     */
    synchronized Page acquire(Heap heap, int cls) {
        int kind = kindOf[cls];
        Page p = warm[kind].pollFirst();
        if (p == null && (p = purged[kind].pollFirst()) != null
                && purgeDelay.takenBack(p.purgedAt, System.nanoTime())) {
            heap.stats.increment(Stat.PURGES_PREMATURE);
        }
        if (p == null) {
            Segment s = new Segment(os.mapAligned(segmentSize, segmentSize, SyscallCause.SUPERSLAB_MAP), pageSize[kind], kind);
            regions.register(s);
            segments.add(s);
            stats.gaugeAdd(Stat.SEGMENTS, 1);
            heap.stats.increment(Stat.LRU_MISSES);
            for (int i = s.pages.length - 1; i > 0; i--) {
                purged[kind].addFirst(s.pages[i].poolLink); // fresh pages are untouched: no purge needed
            }
            p = s.pages[0];
        }
        Segment s = p.segment;
        if (s.usedPages++ == 0 && s.emptyLink.isLinked()) {
            removeEmpty(s);
            heap.stats.increment(Stat.LRU_HITS);
        }
        p.purged = false;
        p.assign(heap, cls, pageSize[kind], maxBlocks[kind]);
        return p;
    }

    /**
     * Takes back a page whose heap no longer uses it (no used block: nothing allocated, no remote free
     * uncollected), unmaps segments past the LRU, and purges pages idle for longer than the delay.
     */
    synchronized void release(Page p, ThreadStats ts) {
        p.countInto(ts); // before assign() starts its counts afresh
        p.retire();
        ts.increment(Stat.PAGES_RETIRED);
        long now = System.nanoTime();
        p.retiredAtNanos = now;
        Segment s = p.segment;
        warm[s.kind].addFirst(p.poolLink);
        if (--s.usedPages == 0) {
            addEmpty(s);
            evictEmptyBeyondKept(ts);
        }
        purgeDue(now, ts);
    }

    /** What {@code trim()} asks of the pool: unmap empty segments past the LRU, purge pages due. */
    synchronized void trim(ThreadStats ts) {
        evictEmptyBeyondKept(ts);
        purgeDue(System.nanoTime(), ts);
    }

    private void purgeDue(long now, ThreadStats ts) {
        purgeDelay.relax(now);
        if (purgeDelay.never()) {
            return;
        }
        for (int kind = SMALL; kind <= MEDIUM; kind++) {
            IntrusiveList<Page> w = warm[kind];
            for (Page oldest = w.last(); oldest != null && purgeDelay.due(oldest.retiredAtNanos, now);
                 oldest = w.last()) {
                if (!os.advise(oldest.start, pageSize[kind], purgeAdvice, SyscallCause.PURGE)) {
                    break; // refused: the page stays warm, oldest in line, and the next pass tries it again
                }
                w.pollLast();
                oldest.purged = true;
                oldest.purgedAt = now;
                purged[kind].addLast(oldest.poolLink);
                ts.increment(Stat.SLABS_PURGED);
            }
        }
    }

    private void evictEmptyBeyondKept(ThreadStats ts) {
        while (empty.size() > emptySegmentsKept || emptyBytes > emptyBytesKept) {
            Segment victim = empty.last();
            removeEmpty(victim);
            unmap(victim);
            ts.increment(Stat.LRU_EVICTIONS);
        }
    }

    /** Unregisters, marks and unmaps an empty segment; its pages (all in the pool) leave the pool's lists. */
    private void unmap(Segment s) {
        for (Page p : s.pages) {
            if (p.poolLink.isLinked()) {
                p.poolLink.list().remove(p.poolLink);
            }
        }
        segments.remove(s);
        regions.unregister(s);
        s.released = true; // after the region map forgot it: see Segment#released
        s.invalidateViews();
        os.unmap(s.mapping(), SyscallCause.LRU_EVICTION);
        stats.gaugeAdd(Stat.SEGMENTS, -1);
    }

    private void addEmpty(Segment s) {
        empty.addFirst(s.emptyLink);
        emptyBytes += s.mapping().reservedSize();
    }

    private void removeEmpty(Segment s) {
        empty.remove(s.emptyLink);
        emptyBytes -= s.mapping().reservedSize();
    }

    synchronized int segmentCount() {
        return segments.size();
    }

    /** Empty segments kept mapped now. */
    synchronized int emptySegmentCount() {
        return empty.size();
    }

    /** Every page of every segment mapped now (the stats, tests and debug checks). */
    synchronized void forEachPage(Consumer<Page> action) {
        for (Segment s : segments) {
            for (Page p : s.pages) {
                action.accept(p);
            }
        }
    }

    /**
     * What the pages of every segment have not counted yet, added to {@code ts} (a snapshot's extra row). Holds
     * the pool's lock for one pass over every page: a snapshot delays the heaps' page takes and returns that long.
     */
    synchronized void addUncountedTo(ThreadStats ts) {
        forEachPage(p -> p.addUncountedTo(ts));
    }

    /**
     * Unmaps every segment, its pages' counts first added to a row of the closing thread's own (so stats after
     * close stay whole, and no other thread's row is written).
     */
    synchronized void close() {
        if (!segments.isEmpty()) {
            ThreadStats closing = stats.registerThread();
            forEachPage(p -> p.countInto(closing));
        }
        for (Segment s : segments) {
            regions.unregister(s);
            s.released = true;
            s.invalidateViews();
            os.unmap(s.mapping(), SyscallCause.CLOSE);
            stats.gaugeAdd(Stat.SEGMENTS, -1);
        }
        segments.clear();
        for (int kind = SMALL; kind <= MEDIUM; kind++) {
            warm[kind].clear();
            purged[kind].clear();
        }
        empty.clear();
        emptyBytes = 0;
    }
}
