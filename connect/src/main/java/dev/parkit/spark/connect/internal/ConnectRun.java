package dev.parkit.spark.connect.internal;

import dev.parkit.spark.internal.Codec;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * One operation on a Spark Connect server that runs a call's slices, handing back each slice's
 * result as the server streams it: the one place that knows how work runs over Spark Connect.
 *
 * <p>The operation is {@code spark.range(0, slices, 1, slices).mapPartitions(task, BINARY)}: one
 * stage, one task per slice, no shuffle. It runs on a thread of its own, which adds the run's tag
 * before starting it (Spark Connect's tags belong to the thread that starts an operation), so
 * {@link #cancel()}, from any thread, interrupts exactly this operation on the server with
 * {@code interruptTag}: its tasks are killed there and no new item starts.
 *
 * <p>Threading: the run's thread queues each finished slice; one consumer thread takes them with
 * {@link #next}. {@link #cancel()} may be called from any thread.
 */
public final class ConnectRun implements AutoCloseable {
    private static final AtomicLong RUNS = new AtomicLong();
    private static final Object END = new Object();
    /** How long {@link #cancel()} waits for the server to end the operation. */
    private static final long END_WAIT_SECONDS = 10;

    private final SparkSession spark;
    private final String tag;
    private final int slices;
    private final ClassLoader loader;
    private final BlockingQueue<Object> finished = new LinkedBlockingQueue<>(); // SliceDone, Throwable, END
    private final CountDownLatch over = new CountDownLatch(1);
    private volatile boolean cancelled;
    private int taken;
    private boolean ended;

    private ConnectRun(SparkSession spark, SlicesTask task, int slices, String pkgId, ClassLoader loader) {
        this.spark = spark;
        this.slices = slices;
        this.loader = loader;
        this.tag = "parkit-" + RUNS.incrementAndGet() + "-" + pkgId.substring(0, 12);
        Thread t = new Thread(() -> run(task), "parkit-connect-" + tag);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Starts one operation over {@code slices} slices and returns at once.
     *
     * @param spark the Spark Connect session
     * @param task the executors' code, holding the slices
     * @param slices how many slices {@code task} holds; at least one
     * @param pkgId the function's package id, for the tag
     * @param loader the loader to read results through (the function's)
     * @return the running operation
     */
    public static ConnectRun start(SparkSession spark, SlicesTask task, int slices, String pkgId,
            ClassLoader loader) {
        if (slices < 1) {
            throw new IllegalArgumentException("slices must be >= 1, got " + slices);
        }
        return new ConnectRun(spark, task, slices, pkgId, loader);
    }

    private void run(SlicesTask task) {
        spark.addTag(tag);
        try {
            if (cancelled) {
                return;
            }
            Iterator<byte[]> results = spark.range(0, slices, 1, slices).mapPartitions(task, Encoders.BINARY())
                    .toLocalIterator();
            try {
                while (!cancelled && results.hasNext()) {
                    finished.add(Codec.decode(results.next(), loader));
                }
                if (cancelled) {
                    spark.interruptTag(tag); // cancel() may have come before the server knew the operation
                }
            } finally {
                if (results instanceof AutoCloseable c) {
                    c.close(); // the client's Arrow buffers of the results
                }
            }
        } catch (Throwable e) {
            finished.add(e);
        } finally {
            spark.removeTag(tag);
            finished.add(END);
            over.countDown();
        }
    }

    /**
     * The next finished slice, waiting at most {@code timeout}.
     *
     * @return the slice, or null if none finished in time or all were taken
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws IllegalStateException if the operation failed on the server (a task failed on every
     *     try, an executor was lost, the server went away...), with Spark's exception as cause
     */
    public SliceDone next(long timeout, TimeUnit unit) throws InterruptedException {
        if (taken == slices || ended) {
            return null;
        }
        Object o = finished.poll(timeout, unit);
        if (o == null) {
            return null;
        }
        if (o instanceof SliceDone r) {
            taken++;
            return r;
        }
        ended = true;
        if (o instanceof Throwable e) {
            throw new IllegalStateException("the Spark Connect operation failed: " + e.getMessage(), e);
        }
        throw new IllegalStateException("the Spark Connect operation ended after " + taken + " of " + slices
                + " slices");
    }

    /** @return whether every slice has been taken */
    public boolean isDone() {
        return taken == slices;
    }

    /**
     * Interrupts the operation on the server and waits, at most ten seconds, until the server has
     * ended it: its running tasks are killed, and once this returns no item of it starts.
     * ({@code interruptTag} returns when the server has marked the operation, before the kill
     * reaches the executors.) An interrupt of the calling thread ends the wait and is kept.
     */
    public void cancel() {
        if (!cancelled && taken < slices) {
            cancelled = true;
            spark.interruptTag(tag);
            try {
                over.await(END_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return the tag the operation carries on the server */
    public String tag() {
        return tag;
    }

    @Override
    public void close() {
        cancel();
    }
}
