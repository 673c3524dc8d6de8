package dev.parkit.spark.internal;

import java.io.Serializable;
import java.util.concurrent.CancellationException;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * The code a Spark task runs on an executor: unpack the function (its package arrives once per
 * executor, as a broadcast, and is unpacked once per JVM while cached), apply it to each item of
 * the slice through ParKit's local engine ({@link SliceRun}), and send back each value or
 * exception. When Spark kills the task (a cancelled job) it interrupts the task's thread, which
 * stops the slice's items as an interrupt stops a local call.
 */
public final class SliceTask extends AbstractFunction1<Iterator<Slice>, SliceResult> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Broadcast<TaskPackage> pkg;
    private final boolean stopAtFirstFailure;
    private final long timeoutNanos;

    /**
     * @param pkg the function's package, as sent to the cluster
     * @param stopAtFirstFailure whether a failing item ends its slice (pmap) or not (pmapCollect)
     * @param timeoutNanos the longest an item may run, or 0 for no limit
     */
    public SliceTask(Broadcast<TaskPackage> pkg, boolean stopAtFirstFailure, long timeoutNanos) {
        this.pkg = pkg;
        this.stopAtFirstFailure = stopAtFirstFailure;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public SliceResult apply(Iterator<Slice> slices) {
        Slice slice = slices.next();
        TaskPackage.Unpacked unpacked = pkg.value().arrived().unpack();
        TaskContext context = TaskContext.get();
        try {
            return SliceRun.run(slice, unpacked, stopAtFirstFailure, timeoutNanos, n -> { });
        } catch (CancellationException e) {
            if (context != null) {
                context.killTaskIfInterrupted(); // Spark killed the task: a cancelled job, not a failure
            }
            throw e;
        }
    }
}
