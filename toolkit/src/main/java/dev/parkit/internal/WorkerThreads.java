package dev.parkit.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one engine: a pool of platform threads sized to the engine's workers (plus any
 * retired ones still stuck), or, for an IO engine on Java 21+, a virtual thread per runner.
 */
final class WorkerThreads {
    private final String name;
    private final ExecutorService executor;
    private final ThreadPoolExecutor platform;
    private final Set<Thread> made = ConcurrentHashMap.newKeySet();

    WorkerThreads(String name, boolean io, int size) {
        this.name = name;
        ExecutorService vt = io ? Threads.virtual(name) : null;
        this.platform = vt == null ? Threads.platform(name, size, made) : null;
        this.executor = vt != null ? vt : platform;
    }

    /** @return true when the workers are virtual threads */
    boolean virtual() {
        return platform == null;
    }

    /** @return the platform threads alive now (0 for virtual threads, which are not pooled) */
    int live() {
        return platform == null ? 0 : platform.getPoolSize();
    }

    /** @throws IllegalStateException if the threads were shut down */
    void submit(Runnable runner) {
        try {
            executor.execute(runner);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("pool " + name + " is closed", e);
        }
    }

    /** @return true when a runner waits for a platform thread */
    boolean queued() {
        return platform != null && !platform.getQueue().isEmpty();
    }

    /** Sets the number of platform threads; the caller holds the engine's monitor. */
    void resize(int n) {
        if (platform == null) {
            return;
        }
        if (n > platform.getMaximumPoolSize()) {
            platform.setMaximumPoolSize(n);
            platform.setCorePoolSize(n);
        } else if (n < platform.getMaximumPoolSize()) {
            platform.setCorePoolSize(n);
            platform.setMaximumPoolSize(n);
        }
    }

    /** No new runners; those submitted still run. */
    void shutdown() {
        executor.shutdown();
    }

    /**
     * Interrupts the runners and waits, ignoring interrupts, until {@code deadline} at most for
     * them to end and their threads to be gone.
     *
     * @param deadline a {@link System#nanoTime()} value
     * @return true if the calling thread was interrupted meanwhile (its flag is left cleared)
     */
    boolean stopAndAwait(long deadline) {
        executor.shutdownNow();
        boolean interrupted = false;
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                if (executor.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS) || left <= 0) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true; // closing must finish: keep waiting, restore the flag after
            }
        }
        for (Thread t : made) { // terminated means no task runs; wait until the threads are gone too
            while (t.isAlive() && t != Thread.currentThread()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return interrupted;
                }
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        return interrupted;
    }
}
