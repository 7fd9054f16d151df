package dev.slabworks.harness.bench;

import dev.slabworks.api.Allocator;
import dev.slabworks.api.MemoryUse;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads what an allocator holds ({@link Allocator#memoryUse}) while a workload runs on it, from a thread of its
 * own every {@code intervalMillis}, and keeps the highest mapped and resident figures seen: the peak. A reading
 * costs the allocator nothing on its own threads: a strategy's is a {@code mincore} walk over its mappings
 * (which touches no page, and is counted apart from the allocator's calls), a baseline's a call into its
 * library's statistics. The peak can miss a rise that comes and goes between two readings; a workload's plateau
 * lasts far longer than the interval.
 *
 * <p>The sampler waits at least {@value #PAUSE_PER_READING} times as long as its last reading took, so that it
 * never takes more than 0.5 % of a CPU, nor holds a library's locks for longer: glibc's {@code mallinfo2} walks
 * every free chunk under the arena's lock and took 1.6 ms on anchor (d), where a 5 ms interval cost glibc over
 * half its throughput; superslab's 40 MiB of SuperSlabs take about 0.35 ms to walk on (c), where a pause of 50
 * times that still cost it 3 % (and mimalloc-like 2.5 %), and 200 times brought both within 1-2 %.
 *
 * <p>Readings taken on the caller's thread ({@link #read}) count towards the peak too: the runner takes one
 * before the run and one when the loop ends, so a run shorter than the interval still has a peak.
 */
final class MemorySampler {
    /** The pause after a reading, at least, in multiples of the time the reading took. */
    static final int PAUSE_PER_READING = 200;

    private final Allocator allocator;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean stopping;
    /** Written by the sampling thread until {@link #stop} joins it, then by the caller only. */
    private long mappedPeak = MemoryUse.UNKNOWN;
    private long residentPeak = MemoryUse.UNKNOWN;
    /** Volatile so that a caller may watch the readings go up while the sampler runs. */
    private volatile int samples;
    private MemoryUse last = MemoryUse.NONE;
    private Throwable failure;

    private MemorySampler(Allocator allocator, long intervalMillis) {
        this.allocator = allocator;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.thread = intervalMillis > 0 ? Thread.ofPlatform().daemon().name("slabworks-memory-sampler")
                .unstarted(this::loop) : null;
    }

    /** A sampler of {@code allocator}, with a first reading taken now; every {@code intervalMillis} (0: never). */
    static MemorySampler start(Allocator allocator, long intervalMillis) {
        MemorySampler s = new MemorySampler(allocator, intervalMillis);
        s.read();
        if (s.thread != null) {
            s.thread.start();
        }
        return s;
    }

    /** Whether a thread samples (the interval is not 0): without it there is no peak. */
    boolean sampling() {
        return thread != null;
    }

    private void loop() {
        try {
            long took = 0;
            while (!stopping) {
                LockSupport.parkNanos(Math.max(intervalNanos, took * PAUSE_PER_READING));
                if (!stopping) {
                    long start = System.nanoTime();
                    read();
                    took = System.nanoTime() - start;
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    /** Stops the sampling thread and waits for it; rethrows what a reading on it threw. Idempotent. */
    void stop() {
        if (thread == null || stopping) {
            return;
        }
        stopping = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** One reading on the calling thread, counted towards the peak. Not concurrent with the sampling thread's own
     * readings but for the first ({@link #start}) and those after {@link #stop}. */
    MemoryUse read() {
        MemoryUse u = allocator.memoryUse();
        mappedPeak = Math.max(mappedPeak, u.mappedBytes());
        residentPeak = Math.max(residentPeak, u.residentBytes());
        last = u;
        samples++;
        return u;
    }

    /** The highest mapped bytes read, or {@link MemoryUse#UNKNOWN}. Call after {@link #stop}. */
    long mappedPeak() {
        return mappedPeak;
    }

    /** The highest resident bytes read, or {@link MemoryUse#UNKNOWN}. Call after {@link #stop}. */
    long residentPeak() {
        return residentPeak;
    }

    /** Readings taken, on the sampling thread and the caller's. */
    int samples() {
        return samples;
    }

    /** How the resident figure is obtained ({@link MemoryUse#source}). */
    String source() {
        return last.source();
    }

    /** How the resident figure stands to the truth ({@link MemoryUse#bound}). */
    MemoryUse.Bound bound() {
        return last.bound();
    }
}
