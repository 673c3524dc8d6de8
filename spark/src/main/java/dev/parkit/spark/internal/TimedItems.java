package dev.parkit.spark.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a slice's items one at a time on a thread of its own, so that the task's thread can time
 * each one: the executor side of a per-item timeout, with local ParKit's rules. An item over its
 * time fails with a {@link TimeoutException} and its thread is interrupted; if it ignores the
 * interrupt for another {@value #ABANDON_MILLIS} ms, its thread is abandoned (a daemon: it
 * finishes the item on its own, its result dropped) and a fresh thread runs the next items.
 *
 * <p>Only the task's thread uses an instance; {@link #close()} ends its item thread.
 */
final class TimedItems implements AutoCloseable {
    /** As local ParKit's {@code TimeoutMonitor.ABANDON_NANOS}. */
    static final long ABANDON_MILLIS = 100;

    /** What one item came to. */
    record Outcome(Object value, Throwable error, boolean timedOut) {}

    /** The item's work, as the task's loop would run it inline. */
    interface Item {
        Object run() throws Exception;
    }

    private final long timeoutNanos;
    private final ClassLoader loader;
    private ExecutorService thread;

    TimedItems(long timeoutNanos, ClassLoader loader) {
        this.timeoutNanos = timeoutNanos;
        this.loader = loader;
    }

    /**
     * Runs one item within the timeout.
     *
     * @throws InterruptedException if the task's own thread is interrupted (Spark killed the
     *     task): the item is interrupted too, and its thread abandoned
     */
    Outcome run(Item item) throws InterruptedException {
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "parkit-timed-item");
                t.setDaemon(true);
                t.setContextClassLoader(loader);
                return t;
            });
        }
        CountDownLatch ended = new CountDownLatch(1);
        Future<Object> running = thread.submit(() -> {
            try {
                return item.run();
            } finally {
                ended.countDown();
            }
        });
        try {
            return new Outcome(running.get(timeoutNanos, TimeUnit.NANOSECONDS), null, false);
        } catch (ExecutionException e) {
            return new Outcome(null, e.getCause(), false);
        } catch (TimeoutException e) {
            running.cancel(true);
            if (!ended.await(ABANDON_MILLIS, TimeUnit.MILLISECONDS)) {
                abandon();
            }
            return new Outcome(null, new TimeoutException("ran longer than the timeout of " + format(timeoutNanos)),
                    true);
        } catch (InterruptedException e) {
            running.cancel(true);
            abandon();
            throw e;
        }
    }

    private void abandon() {
        thread.shutdownNow();
        thread = null;
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
            thread = null;
        }
    }

    /** {@code 100 ms}, {@code 2 s} or {@code 250 us}: as local ParKit words a timeout. */
    static String format(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + " ms";
        }
        return nanos / 1000 + " us";
    }
}
