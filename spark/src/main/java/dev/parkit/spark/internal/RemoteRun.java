package dev.parkit.spark.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs slices of items remotely and hands back each slice's per-item values and failures as its
 * Spark task finishes: the one place that knows how work runs on a cluster. One Spark job per
 * run, in a job group of its own so that {@link #cancel()} stops exactly its tasks.
 *
 * <p>Threading: Spark's scheduler thread queues each finished slice; one consumer thread takes
 * them with {@link #next}. {@link #cancel()} may be called from any thread.
 */
public final class RemoteRun implements AutoCloseable {
    private static final AtomicLong RUNS = new AtomicLong();

    private final JavaSparkContext spark;
    private final String group;
    private final int slices;
    private final BlockingQueue<SliceResult> finished = new LinkedBlockingQueue<>();
    private final SimpleFutureAction<Object> job;
    private int taken;

    private RemoteRun(JavaSparkContext spark, TaskPackage pkg, List<Slice> slices, boolean stopAtFirstFailure,
            String description) {
        this.spark = spark;
        this.slices = slices.size();
        this.group = "parkit-" + RUNS.incrementAndGet() + "-" + pkg.id().substring(0, 12);
        List<Object> partitions = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++) {
            partitions.add(i);
        }
        // Job groups are thread-local properties of the submitting thread: set, submit, clear.
        spark.setJobGroup(group, description, true);
        try {
            job = spark.sc().submitJob(
                    spark.parallelize(slices, slices.size()).rdd(),
                    new SliceTask(pkg, stopAtFirstFailure),
                    CollectionConverters.asScala(partitions).toSeq(),
                    new AbstractFunction2<Object, SliceResult, BoxedUnit>() {
                        @Override
                        public BoxedUnit apply(Object partition, SliceResult result) {
                            finished.add(result);
                            return BoxedUnit.UNIT;
                        }
                    },
                    new AbstractFunction0<Object>() {
                        @Override
                        public Object apply() {
                            return BoxedUnit.UNIT;
                        }
                    });
        } finally {
            spark.clearJobGroup();
        }
    }

    /**
     * Submits one job over {@code slices} and returns at once.
     *
     * @param spark the context
     * @param pkg the function's package
     * @param slices the items, one Spark task per slice; not empty
     * @param stopAtFirstFailure whether a slice stops at its first failing item
     * @param description shown in Spark's UI and logs
     * @return the running job
     */
    public static RemoteRun start(JavaSparkContext spark, TaskPackage pkg, List<Slice> slices,
            boolean stopAtFirstFailure, String description) {
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("slices must not be empty");
        }
        return new RemoteRun(spark, pkg, slices, stopAtFirstFailure, description);
    }

    /**
     * The next finished slice, waiting at most {@code timeout}.
     *
     * @return the slice, or null if none finished in time or all were taken
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws IllegalStateException if the job failed (a task failed on every try, an executor
     *     was lost...), with Spark's exception as cause
     */
    public SliceResult next(long timeout, TimeUnit unit) throws InterruptedException {
        if (taken == slices) {
            return null;
        }
        SliceResult r = finished.poll(timeout, unit);
        if (r == null && job.isCompleted() && finished.isEmpty()) {
            var outcome = job.value().get();
            if (outcome.isFailure()) {
                Throwable cause = outcome.failed().get();
                throw new IllegalStateException("the Spark job failed: " + cause.getMessage(), cause);
            }
        }
        if (r != null) {
            taken++;
        }
        return r;
    }

    /** @return whether every slice has been taken */
    public boolean isDone() {
        return taken == slices;
    }

    /** Cancels the job's remaining tasks (running ones are interrupted); returns at once. */
    public void cancel() {
        if (!job.isCompleted()) {
            spark.cancelJobGroup(group);
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
