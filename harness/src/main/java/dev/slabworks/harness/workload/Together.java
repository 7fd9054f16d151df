package dev.slabworks.harness.workload;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a multi-thread workload's tasks on platform threads of their own, released together once every
 * thread has started, and times the window from the release to the end of the last one (thread start-up
 * stays out of it). A task's writes are visible to the caller afterwards (each thread is joined). The first
 * task that throws is returned, once every thread has ended, so the caller can free what is left before
 * it {@link #rethrow}s ({@link #cleanUpThenRethrow}).
 */
final class Together {
    private Together() {
    }

    /** The timed window and the first failure of a task, or null. */
    record Window(long nanos, Throwable failure) {
    }

    /** Runs {@code tasks}, thread {@code i} named {@code name-i}. */
    static Window run(String name, Runnable... tasks) {
        CountDownLatch ready = new CountDownLatch(tasks.length);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[tasks.length];
        for (int i = 0; i < tasks.length; i++) {
            Runnable task = tasks[i];
            threads[i] = Thread.ofPlatform().name(name + "-" + i).start(() -> {
                ready.countDown();
                try {
                    go.await();
                    task.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        long nanos;
        try {
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            nanos = System.nanoTime() - start;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " interrupted", e);
        }
        return new Window(nanos, failure.get());
    }

    /**
     * Runs a run's untimed {@code cleanUp} (freeing what the tasks left), then rethrows {@code failure}, a task's, if
     * any. A clean-up that fails after a task failed (an allocator that broke in the task often fails the clean-up's
     * frees too) is added to the task's failure as suppressed instead of hiding it.
     */
    static void cleanUpThenRethrow(Throwable failure, Runnable cleanUp) {
        try {
            cleanUp.run();
        } catch (RuntimeException | Error e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
        rethrow(failure);
    }

    /** {@code t} as an unchecked throwable, or nothing when null. */
    static void rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t.getMessage(), t);
        }
    }
}
