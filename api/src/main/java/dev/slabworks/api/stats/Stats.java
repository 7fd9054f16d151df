package dev.slabworks.api.stats;

import dev.slabworks.api.knobs.Knob;
import dev.slabworks.api.knobs.Knobs;
import dev.slabworks.api.os.Os;
import dev.slabworks.api.os.ResourceUsage;
import dev.slabworks.api.os.Syscall;
import dev.slabworks.api.os.SyscallCounters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * The stats of one allocator: per-thread counters ({@link ThreadStats}, one per thread that uses the
 * allocator, and any an allocator registers for itself, as at close), shared gauges, and what its {@link Os}
 * counted. See {@link Stat} for where each row comes from.
 *
 * <p>The row of a thread that has ended is folded into one row of ended threads when its heap is reclaimed
 * ({@link ThreadStats#retire}), so nothing is lost and the rows stay as many as the threads alive, those not
 * reclaimed yet, the allocator's own and the retired row. Kept for good, they grew by one per thread ever seen: under larson's thread churn
 * (~800 threads a second) each live-bytes sample summed thousands of rows, 5 % of superslab's time there.
 * One lock guards the list of rows and the retired row; it is taken on slow paths only (a heap's first
 * call, a reclaim, a live-bytes sample, a snapshot), so a row is never counted twice or missed while it moves.
 */
public final class Stats {
    /** The JIT constant behind every counter update: {@link Knob#STATS}, read once per JVM. */
    public static final boolean ENABLED = readEnabled();

    private final Os os;
    private final ResourceUsage usageAtStart;
    /** Every row that counts: live threads', rows an allocator keeps for itself, and {@link #retired}. Under {@code this}. */
    private final List<ThreadStats> threads = new ArrayList<>();
    /** The rows of ended threads whose heaps were reclaimed, folded into one ({@link #retire}). Under {@code this}. */
    private final ThreadStats retired;
    private final AtomicLongArray gauges = new AtomicLongArray(Stat.values().length);

    public Stats(Os os) {
        this.os = os;
        this.usageAtStart = os.resourceUsage();
        this.retired = new ThreadStats(this);
        threads.add(retired);
    }

    /** A new counter set for the calling thread; the caller keeps it in its per-thread state. */
    public ThreadStats registerThread() {
        ThreadStats t = new ThreadStats(this);
        synchronized (this) {
            threads.add(t);
        }
        return t;
    }

    /** {@link ThreadStats#retire}: folds {@code row} into {@link #retired} and drops it from the rows. */
    synchronized void retire(ThreadStats row) {
        if (row == retired || !threads.remove(row)) {
            throw new IllegalStateException("not a row of these stats, or retired already");
        }
        retired.absorb(row);
    }

    /** Rows that count now: live threads', those of ended threads not reclaimed yet, the allocator's own, the retired row. */
    public synchronized int rows() {
        return threads.size();
    }

    /** Changes a GAUGE row (slow paths only: this is an atomic add) and raises its peak. */
    public void gaugeAdd(Stat gauge, long delta) {
        Stat peak = gauge.peak();
        if (gauge.source() != Stat.Source.GAUGE || peak == null) {
            throw new IllegalArgumentException(gauge + " is not a gauge with a peak");
        }
        raise(peak, gauges.addAndGet(gauge.ordinal(), delta));
    }

    /** Raises the GAUGE row {@code peak} to {@code value} if that is higher (lock-free). */
    private void raise(Stat peak, long value) {
        int p = peak.ordinal();
        long seen;
        while (value > (seen = gauges.get(p)) && !gauges.compareAndSet(p, seen, value)) {
            Thread.onSpinWait();
        }
    }

    /**
     * A thread's live bytes moved by {@code delta} since it last said so: adds it to the published gauge
     * and raises the live-bytes peak to the live bytes of ALL threads now, summed from their rows (not
     * from the gauge: a thread that only frees, e.g. remote frees, never publishes, so the gauge can lag
     * above the truth). Slow path: it reads every thread's class counters.
     */
    void publishLive(long delta) {
        gauges.addAndGet(Stat.LIVE_BYTES_PUBLISHED.ordinal(), delta);
        long live = 0;
        synchronized (this) {
            for (ThreadStats t : threads) {
                live += t.liveBytes();
            }
        }
        raise(Stat.LIVE_BYTES_PUBLISHED_PEAK, live);
    }

    public long gauge(Stat gauge) {
        return gauges.get(gauge.ordinal());
    }

    public StatsSnapshot snapshot() {
        return snapshot(uncounted -> { });
    }

    /**
     * A snapshot that also counts what an allocator keeps uncounted for now (per page, say): {@code uncounted}
     * adds it to an extra row of its own, which no thread keeps and which counts in this snapshot only. Taken
     * while threads run, it may miss a batch that a thread moves into its row meanwhile (the rows are read
     * first), and misread one that changes as it is read.
     */
    public StatsSnapshot snapshot(Consumer<ThreadStats> uncounted) {
        long[] v = new long[Stat.values().length];
        synchronized (this) {
            for (ThreadStats t : threads) {
                add(v, t);
            }
        }
        ThreadStats extra = new ThreadStats(this);
        uncounted.accept(extra);
        add(v, extra);
        for (Stat s : Stat.values()) {
            if (s.source() == Stat.Source.GAUGE) {
                v[s.ordinal()] = gauges.get(s.ordinal());
            }
        }
        long live = v[Stat.BYTES_ALLOCATED.ordinal()] - v[Stat.BYTES_FREED.ordinal()];
        v[Stat.LIVE_BYTES.ordinal()] = live;
        v[Stat.LIVE_BYTES_PEAK.ordinal()] = Math.max(live, v[Stat.LIVE_BYTES_PUBLISHED_PEAK.ordinal()]);

        SyscallCounters sc = os.syscalls();
        v[Stat.MAPPED_BYTES.ordinal()] = os.mappedBytes();
        v[Stat.MAPPED_BYTES_PEAK.ordinal()] = os.mappedBytesPeak();
        v[Stat.MAPPINGS_LIVE.ordinal()] = os.mappingsLive();
        for (Syscall call : Syscall.values()) {
            Stat calls = Stat.callsOf(call);
            if (calls != null) {
                v[calls.ordinal()] = sc.count(call);
                v[Stat.nanosOf(call).ordinal()] = sc.nanos(call);
            }
        }
        v[Stat.SYSCALL_MMAP_FAILURES.ordinal()] = os.failures(Syscall.MMAP);
        v[Stat.SYSCALL_MUNMAP_FAILURES.ordinal()] = os.failures(Syscall.MUNMAP);
        v[Stat.SYSCALL_MADVISE_FAILURES.ordinal()] = os.failures(Syscall.MADVISE);
        v[Stat.MAPPINGS_UNRELEASED.ordinal()] = os.unreleasedMappings();
        ResourceUsage usage = os.resourceUsage().since(usageAtStart);
        v[Stat.PAGE_FAULTS_MINOR.ordinal()] = usage.minorFaults();
        v[Stat.PAGE_FAULTS_MAJOR.ordinal()] = usage.majorFaults();
        return new StatsSnapshot(v, SyscallsByCause.of(sc));
    }

    private static void add(long[] v, ThreadStats t) {
        for (int i = 0; i < Stat.THREAD_SLOTS; i++) {
            v[i] += t.value(i);
        }
    }

    private static boolean readEnabled() {
        return Boolean.parseBoolean(Knobs.perJvm(Knob.STATS));
    }
}
