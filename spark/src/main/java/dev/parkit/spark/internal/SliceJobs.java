package dev.parkit.spark.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * One Spark job per slice, for one application: submits it, waits for its result, cancels it and
 * waits until Spark has seen its task end, and reports its items' progress while it runs.
 *
 * <p>Progress: each slice's task adds 1 to a {@link LongAccumulator} of its own per finished item;
 * executors send running tasks' accumulator values with their heartbeats
 * ({@code spark.executor.heartbeatInterval}), which reach this listener as
 * {@link SparkListenerExecutorMetricsUpdate}s.
 *
 * <p>Threading: a slice's runner thread calls {@link #run}; Spark's listener bus thread calls the
 * listener methods. A slice's {@link Job} is in {@code byKey} from submission until Spark starts
 * it, then in {@code jobs} (by job id) and {@code stages} (by stage id) until it is over (Spark
 * ended it, its task ended, its runner is done); in {@code accumulators} while its runner waits.
 */
public final class SliceJobs extends SparkListener {
    /** How long a cancelled slice waits for Spark to report its task ended. */
    static final long END_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final JavaSparkContext spark;
    /** The job property that names a slice's job, so that its start finds it. */
    private static final String SLICE_KEY = "parkit.slice";
    private static final AtomicLong SLICES = new AtomicLong();

    private final Map<String, Job> byKey = new ConcurrentHashMap<>();
    private final Map<Integer, Job> jobs = new ConcurrentHashMap<>();
    private final Map<Integer, Job> stages = new ConcurrentHashMap<>();
    private final Map<Long, Job> accumulators = new ConcurrentHashMap<>();

    /** What the listener knows of one slice's job; guarded by itself. */
    private static final class Job {
        final IntConsumer progress;
        final int items;
        boolean started;
        boolean ended;
        int running; // tasks started and not ended
        long reported; // items reported as done so far
        boolean closed; // the runner is done: report nothing more

        Job(IntConsumer progress, int items) {
            this.progress = progress;
            this.items = items;
        }

        synchronized boolean over() {
            return ended && running == 0;
        }
    }

    /** @param spark the application; this registers itself as its listener */
    public SliceJobs(JavaSparkContext spark) {
        this.spark = spark;
        spark.sc().addSparkListener(this);
    }

    /** Makes a slice's Spark task, given the accumulator its items count on. */
    interface Work {
        SliceTask task(LongAccumulator progress);
    }

    /**
     * Runs one slice as a job of its own and waits for its result.
     *
     * @param slice the slice
     * @param work the task for it, given the slice's progress accumulator
     * @param group the job group (the call), shown in Spark's UI
     * @param description the job's description
     * @param progress told how many more items ended, while the slice runs (never after this returns)
     * @return the slice's result
     * @throws InterruptedException if interrupted while waiting: the job has been cancelled and
     *     its task has ended, or {@link #END_WAIT_NANOS} passed
     * @throws IllegalStateException if the job failed (a task failed on every try, a lost executor...)
     */
    SliceResult run(Slice slice, Work work, String group, String description, IntConsumer progress)
            throws InterruptedException {
        LongAccumulator acc = spark.sc().longAccumulator();
        SliceTask task = work.task(acc);
        RDD<Slice> rdd = spark.parallelize(List.of(slice), 1).rdd();
        java.util.concurrent.atomic.AtomicReference<SliceResult> result = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
        Job job = new Job(progress, slice.count());
        SimpleFutureAction<Object> future;
        // Job properties are thread-local properties of the submitting thread: set, submit, clear.
        String key = Long.toString(SLICES.incrementAndGet());
        byKey.put(key, job);
        spark.setJobGroup(group, description, true); // true: cancelling interrupts the task's thread
        spark.setLocalProperty(SLICE_KEY, key);
        try {
            future = spark.sc().submitJob(rdd, task, CollectionConverters.asScala(List.<Object>of(0)).toSeq(),
                    new AbstractFunction2<Object, SliceResult, BoxedUnit>() {
                        @Override
                        public BoxedUnit apply(Object partition, SliceResult r) {
                            result.set(r);
                            arrived.countDown();
                            return BoxedUnit.UNIT;
                        }
                    },
                    new AbstractFunction0<Object>() {
                        @Override
                        public Object apply() {
                            return BoxedUnit.UNIT;
                        }
                    });
        } catch (RuntimeException | Error e) {
            byKey.remove(key);
            throw e;
        } finally {
            spark.clearJobGroup();
            spark.setLocalProperty(SLICE_KEY, null);
        }
        accumulators.put(acc.id(), job);
        try {
            while (!arrived.await(20, TimeUnit.MILLISECONDS)) {
                if (future.isCompleted() && arrived.getCount() > 0) {
                    var outcome = future.value().get();
                    if (outcome.isFailure()) {
                        Throwable cause = outcome.failed().get();
                        throw new IllegalStateException(missingClassHint(cause) + "the Spark job of items "
                                + slice.first() + " to " + (slice.first() + slice.count() - 1) + " failed: "
                                + cause.getMessage(), cause);
                    }
                }
            }
            return result.get();
        } catch (InterruptedException e) {
            future.cancel();
            awaitEnd(job);
            throw e;
        } finally {
            synchronized (job) {
                job.closed = true;
            }
            accumulators.remove(acc.id());
            forgetIfOver(job);
        }
    }

    private static final java.util.regex.Pattern MISSING_CLASS = java.util.regex.Pattern.compile(
            "(?:ClassNotFoundException|NoClassDefFoundError): ([\\w$./]+)");

    /**
     * What to do when an executor could not load a class the function needs: ParKit sends the
     * classes of JShell cells and notebook cells itself, but a jar's classes must be on the
     * executors already. Spark reports the executor's error as text, so the text is what is read.
     *
     * @return the advice, first in the message so that a shortened message still shows it, or ""
     *     when the failure is not a missing class
     */
    static String missingClassHint(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            java.util.regex.Matcher missing = MISSING_CLASS.matcher(m);
            if (missing.find()) {
                return "the executors cannot load class " + missing.group(1).replace('/', '.')
                        + ", which the function needs: put its jar on them with spark.jars, e.g."
                        + " Spark.spark(new SparkConf().setMaster(master).set(\"spark.jars\", \"/path/to/its.jar\")); ";
            }
        }
        return "";
    }

    /** Waits, without giving up on an interrupt, until the job's task has ended, at most {@link #END_WAIT_NANOS}. */
    private static void awaitEnd(Job job) {
        long deadline = System.nanoTime() + END_WAIT_NANOS;
        synchronized (job) {
            long left;
            while (!job.over() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(job, left);
                } catch (InterruptedException again) {
                    // already interrupted; the caller rethrows
                }
            }
        }
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        String key = start.properties() == null ? null : start.properties().getProperty(SLICE_KEY);
        Job job = key == null ? null : byKey.remove(key);
        if (job != null) {
            jobs.put(start.jobId(), job);
            for (Object stage : CollectionConverters.asJava(start.stageIds())) {
                stages.put((Integer) stage, job);
            }
            synchronized (job) {
                job.started = true;
            }
        }
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart start) {
        Job job = stages.get(start.stageId());
        if (job != null) {
            synchronized (job) {
                job.running++;
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        Job job = stages.get(end.stageId());
        if (job != null) {
            synchronized (job) {
                job.running--;
                job.notifyAll();
            }
            forgetIfOver(job);
        }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        Job job = jobs.get(end.jobId());
        if (job != null) {
            synchronized (job) {
                job.ended = true;
                job.notifyAll();
            }
            forgetIfOver(job);
        }
    }

    /** A job that Spark ended, whose task ended, and whose runner is done: nothing of it matters any more. */
    private void forgetIfOver(Job job) {
        boolean forget;
        synchronized (job) {
            forget = job.over() && job.closed;
        }
        if (forget) {
            stages.values().removeIf(j -> j == job);
            jobs.values().removeIf(j -> j == job);
            byKey.values().removeIf(j -> j == job);
        }
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        if (accumulators.isEmpty()) {
            return;
        }
        for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task
                : CollectionConverters.asJava(update.accumUpdates())) {
            for (AccumulableInfo info : CollectionConverters.asJava(task._4())) {
                Job job = accumulators.get(info.id());
                if (job != null && info.update().isDefined() && info.update().get() instanceof Long done) {
                    report(job, done);
                }
            }
        }
    }

    /** Tells the job's runner of the items done beyond what it was told; nothing once it is done. */
    private static void report(Job job, long done) {
        synchronized (job) {
            long now = Math.min(done, job.items);
            if (!job.closed && now > job.reported) {
                job.progress.accept((int) (now - job.reported));
                job.reported = now;
            }
        }
    }

    /** Stops listening. */
    public void close() {
        spark.sc().removeSparkListener(this);
    }
}
