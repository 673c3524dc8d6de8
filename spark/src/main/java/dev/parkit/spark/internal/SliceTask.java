package dev.parkit.spark.internal;

import dev.parkit.ParFunction;
import dev.parkit.spark.RemoteException;
import java.io.IOException;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * The code a Spark task runs on an executor: unpack the function (its package arrives once per
 * executor, as a broadcast, and is unpacked once per JVM while cached), apply it to each item of
 * the slice, and send back each value or exception.
 *
 * <p>Between items it checks whether Spark killed the task (a cancelled job), so a cancelled
 * slice stops after the item it is running. With a per-item timeout the items run one at a time
 * on a thread of their own, timed ({@link TimedItems}); without one, on the task's thread.
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
        @SuppressWarnings("unchecked")
        ParFunction<Object, Object> f = (ParFunction<Object, Object>) unpacked.function();
        Object[] items = (Object[]) Codec.decodeUnchecked(slice.items(), unpacked.loader());
        Object[] values = new Object[items.length];
        Throwable[] errors = new Throwable[items.length];
        boolean[] timedOut = new boolean[items.length];
        TaskContext context = TaskContext.get();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(unpacked.loader());
        int ran = 0;
        try (TimedItems timed = timeoutNanos > 0 ? new TimedItems(timeoutNanos, unpacked.loader()) : null) {
            for (; ran < items.length; ran++) {
                if (context != null) {
                    context.killTaskIfInterrupted();
                }
                Object x = items[ran];
                if (timed != null) {
                    TimedItems.Outcome o;
                    try {
                        o = timed.run(() -> f.apply(x));
                    } catch (InterruptedException e) {
                        killed(context, e);
                        throw new IllegalStateException("interrupted", e);
                    }
                    values[ran] = o.value();
                    errors[ran] = o.error();
                    timedOut[ran] = o.timedOut();
                } else {
                    try {
                        values[ran] = f.apply(x);
                    } catch (Exception | Error e) {
                        if (context != null && (e instanceof InterruptedException || context.isInterrupted())) {
                            context.killTaskIfInterrupted(); // a cancelled job, not the item's failure
                        }
                        errors[ran] = e;
                    }
                }
                if (errors[ran] != null && stopAtFirstFailure) {
                    ran++;
                    break;
                }
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        byte[] outcomes = encode(values, errors, timedOut, ran); // may turn a value that cannot travel into a failure
        int failedAt = 0;
        while (failedAt < ran && errors[failedAt] == null) {
            failedAt++;
        }
        return new SliceResult(slice.number(), slice.first(), failedAt < ran ? failedAt : -1, outcomes,
                ManagementFactory.getRuntimeMXBean().getName());
    }

    /** The task's thread was interrupted while an item ran: Spark killed the task. */
    private static void killed(TaskContext context, InterruptedException e) {
        Thread.currentThread().interrupt();
        if (context != null) {
            context.killTaskIfInterrupted();
        }
    }

    private static byte[] encode(Object[] values, Throwable[] errors, boolean[] timedOut, int ran) {
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] != null && !serializable(errors[i])) {
                errors[i] = new RemoteException(errors[i]);
            }
        }
        try {
            return Codec.encode(new SliceResult.Outcomes(values, errors, timedOut, ran), null);
        } catch (IOException e) {
            // Some value cannot travel: it becomes that item's failure, the rest go back.
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null && !serializable(values[i])) {
                    errors[i] = new IllegalStateException("the result (a " + values[i].getClass().getName()
                            + ") cannot be sent back to the driver: it is not serializable; make the function "
                            + "return a Serializable type");
                    values[i] = null;
                }
            }
            try {
                return Codec.encode(new SliceResult.Outcomes(values, errors, timedOut, ran), null);
            } catch (IOException again) {
                throw new IllegalStateException("results cannot be sent back to the driver: " + again, again);
            }
        }
    }

    private static boolean serializable(Object o) {
        try {
            Codec.encode(o, null);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
