package dev.parkit.spark.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs slices of items remotely and hands back each slice's per-item values and failures as its
 * Spark task finishes: the one place that knows how work runs on a cluster. Its Spark jobs run in
 * a job group of their own, so that {@link #cancel()} stops exactly its tasks.
 *
 * <p>A failure cancels what its {@link OnFailure} says as soon as its slice reaches the driver,
 * on Spark's scheduler thread, whether or not the consumer has reached it: everything
 * ({@code STOP_ALL}), nothing ({@code GO_ON}), or the slices after it ({@code STOP_AFTER}). Spark
 * cancels whole jobs only, so for {@code STOP_AFTER} the job is cancelled and the earlier slices
 * that had not finished run again as a job of their own: their items that were running when the
 * failure came run twice, as after a lost executor. (One job per slice, the alternative, keeps
 * Spark's scheduler busy for about 30 ms a slice here, which delays the very cancelling.)
 *
 * <p>Threading: Spark's scheduler thread queues each finished slice and cancels; a thread of its
 * own resubmits; one consumer thread takes the slices with {@link #next}. {@link #cancel()} may
 * be called from any thread.
 */
public final class RemoteRun implements AutoCloseable {
    private static final AtomicLong RUNS = new AtomicLong();

    /** What a failed item cancels. */
    public enum OnFailure {
        /** {@code pmap}, {@code pimapUnordered}: every slice; the call fails at once. */
        STOP_ALL,
        /** {@code pimap}: the slices after the failing one; earlier results are still delivered. */
        STOP_AFTER,
        /** {@code pmapCollect}: nothing. */
        GO_ON
    }

    private final JavaSparkContext spark;
    private final String group;
    private final String description;
    private final int slices;
    private final OnFailure onFailure;
    private final RDD<Slice> rdd;
    private final SliceTask task;
    private final BlockingQueue<SliceResult> finished = new LinkedBlockingQueue<>();
    private final Set<Integer> received = ConcurrentHashMap.newKeySet();
    private final List<SimpleFutureAction<Object>> jobs = new CopyOnWriteArrayList<>();
    // Jobs cancelled on purpose: their ending in failure is no error.
    private final Set<SimpleFutureAction<Object>> dropped = ConcurrentHashMap.newKeySet();
    // STOP_AFTER: the lowest slice with a failure so far; later slices are not needed. Guarded by this.
    private int cancelAfter = Integer.MAX_VALUE;
    // Set when everything is cancelled: by a failure (STOP_ALL), the consumer, or an interrupt.
    private volatile boolean cancelled;
    private int taken;

    private RemoteRun(JavaSparkContext spark, Broadcast<TaskPackage> pkg, String id, List<Slice> slices,
            OnFailure onFailure, long timeoutNanos, String description) {
        this.spark = spark;
        this.slices = slices.size();
        this.onFailure = onFailure;
        this.description = description;
        this.group = "parkit-" + RUNS.incrementAndGet() + "-" + id.substring(0, 12);
        this.rdd = spark.parallelize(slices, slices.size()).rdd();
        this.task = new SliceTask(pkg, onFailure != OnFailure.GO_ON, timeoutNanos);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++) {
            all.add(i);
        }
        submit(all);
    }

    /** Submits one job over {@code partitions}, in the run's job group. */
    private void submit(List<Integer> partitions) {
        // Job groups are thread-local properties of the submitting thread: set, submit, clear.
        spark.setJobGroup(group, description, true);
        try {
            jobs.add(spark.sc().submitJob(rdd, task, CollectionConverters.asScala(List.<Object>copyOf(partitions)).toSeq(),
                    new AbstractFunction2<Object, SliceResult, BoxedUnit>() {
                        @Override
                        public BoxedUnit apply(Object partition, SliceResult result) {
                            arrived(result);
                            return BoxedUnit.UNIT;
                        }
                    },
                    new AbstractFunction0<Object>() {
                        @Override
                        public Object apply() {
                            return BoxedUnit.UNIT;
                        }
                    }));
        } finally {
            spark.clearJobGroup();
        }
        if (cancelled) {
            cancel(); // cancelled while submitting
        }
    }

    /** On Spark's scheduler thread: a slice finished. */
    private void arrived(SliceResult result) {
        if (!received.add(result.number())) {
            return; // a slice that finished just as its job was cancelled, and ran again
        }
        finished.add(result);
        if (result.failedAt() >= 0) {
            switch (onFailure) {
                case STOP_ALL -> cancel();
                case STOP_AFTER -> stopAfter(result.number());
                case GO_ON -> { }
            }
        }
    }

    /** Cancels the slices after {@code number}; the unfinished ones before it run again. */
    private void stopAfter(int number) {
        List<Integer> again = new ArrayList<>();
        synchronized (this) {
            if (number >= cancelAfter || cancelled) {
                return;
            }
            cancelAfter = number;
            for (SimpleFutureAction<Object> job : jobs) {
                if (!job.isCompleted() && dropped.add(job)) {
                    job.cancel();
                }
            }
            for (int i = 0; i < number; i++) {
                if (!received.contains(i)) {
                    again.add(i);
                }
            }
        }
        if (!again.isEmpty()) {
            // Not on Spark's scheduler thread, whose thread-local job group is not ours.
            Thread t = new Thread(() -> submit(again), "parkit-resubmit-" + group);
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Submits the slices' job and returns at once.
     *
     * @param spark the context
     * @param pkg the function's package, as sent to the cluster
     * @param id the package's id
     * @param slices the items, one Spark task per slice; not empty
     * @param onFailure what a failed item cancels
     * @param timeoutNanos the longest an item may run, or 0 for no limit
     * @param description shown in Spark's UI and logs
     * @return the running job
     */
    public static RemoteRun start(JavaSparkContext spark, Broadcast<TaskPackage> pkg, String id, List<Slice> slices,
            OnFailure onFailure, long timeoutNanos, String description) {
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("slices must not be empty");
        }
        return new RemoteRun(spark, pkg, id, slices, onFailure, timeoutNanos, description);
    }

    /**
     * The next finished slice, waiting at most {@code timeout}.
     *
     * @return the slice, or null if none finished in time or all were taken
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws IllegalStateException if a job failed (a task failed on every try, an executor
     *     was lost...), with Spark's exception as cause
     */
    public SliceResult next(long timeout, TimeUnit unit) throws InterruptedException {
        if (isDone()) {
            return null;
        }
        SliceResult r = finished.poll(timeout, unit);
        if (r != null) {
            taken++;
            return r;
        }
        for (SimpleFutureAction<Object> job : jobs) {
            if (job.isCompleted() && finished.isEmpty() && !cancelled && !dropped.contains(job)) {
                var outcome = job.value().get();
                if (outcome.isFailure()) {
                    Throwable cause = outcome.failed().get();
                    throw new IllegalStateException("the Spark job failed: " + cause.getMessage(), cause);
                }
            }
        }
        return null;
    }

    /** @return whether every slice has been taken, or the rest were cancelled */
    public boolean isDone() {
        return taken == slices || (cancelled && finished.isEmpty());
    }

    /** Cancels every remaining task (running ones are interrupted); returns at once. */
    public void cancel() {
        cancelled = true;
        for (SimpleFutureAction<Object> job : jobs) {
            if (!job.isCompleted()) {
                spark.cancelJobGroup(group);
                return;
            }
        }
    }

    /** @return the job group, for Spark's status tracker */
    public String group() {
        return group;
    }

    @Override
    public void close() {
        cancel();
    }
}
