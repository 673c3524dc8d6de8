package dev.parkit.spark.internal;

import java.io.Serializable;
import java.util.concurrent.CancellationException;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * The code a Spark task runs on an executor: unpack the function (its package arrives once per
 * executor, as a broadcast, and is unpacked once per JVM while cached), apply it to each item of
 * the slice through ParKit's local engine ({@link SliceRun}), counting each finished item on the
 * slice's accumulator (which executors' heartbeats carry to the driver's progress bar), and send
 * back each value or exception. When Spark kills the task (a cancelled job) it interrupts the
 * task's thread, which stops the slice's items as an interrupt stops a local call.
 */
public final class SliceTask extends AbstractFunction1<Iterator<Slice>, SliceResult> implements Serializable {
    private static final long serialVersionUID = 3L;

    private final Broadcast<TaskPackage> pkg;
    private final boolean stopAtFirstFailure;
    private final long timeoutNanos;
    private final LongAccumulator progress;
    private final ExecutorPools.Spec pool; // null: no per-worker state
    private final java.util.Set<String> closedPools;

    /**
     * @param pkg the function's package, as sent to the cluster
     * @param stopAtFirstFailure whether a failing item ends its slice (pmap) or not (pmapCollect)
     * @param timeoutNanos the longest an item may run, or 0 for no limit
     * @param progress counts the slice's finished items
     * @param pool the cluster pool whose per-worker state the function takes, or null for a
     *     function of the item alone
     * @param closedPools the cluster pools closed on the driver whose close job may not have
     *     reached every executor: the executor closes them first ({@link ExecutorPools#closeOnSight})
     */
    SliceTask(Broadcast<TaskPackage> pkg, boolean stopAtFirstFailure, long timeoutNanos, LongAccumulator progress,
            ExecutorPools.Spec pool, java.util.Set<String> closedPools) {
        this.pkg = pkg;
        this.stopAtFirstFailure = stopAtFirstFailure;
        this.timeoutNanos = timeoutNanos;
        this.progress = progress;
        this.pool = pool;
        this.closedPools = closedPools;
    }

    @Override
    public SliceResult apply(Iterator<Slice> slices) {
        Slice slice = slices.next();
        if (!closedPools.isEmpty()) {
            ExecutorPools.closeOnSight(closedPools);
        }
        TaskPackage.Unpacked unpacked = pkg.value().arrived().unpack();
        TaskContext context = TaskContext.get();
        try {
            return pool == null ? SliceRun.run(slice, unpacked, stopAtFirstFailure, timeoutNanos, progress::add)
                    : SliceRun.run(slice, unpacked, ExecutorPools.pool(pool), stopAtFirstFailure, timeoutNanos,
                            progress::add);
        } catch (CancellationException e) {
            if (context != null) {
                context.killTaskIfInterrupted(); // Spark killed the task: a cancelled job, not a failure
            }
            throw e;
        }
    }
}
