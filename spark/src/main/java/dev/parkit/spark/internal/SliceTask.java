package dev.parkit.spark.internal;

import dev.parkit.ParFunction;
import dev.parkit.spark.RemoteException;
import java.io.IOException;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import org.apache.spark.TaskContext;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * The code a Spark task runs on an executor: unpack the function (cached by content per JVM),
 * apply it to each item of the slice, and send back each value or exception.
 *
 * <p>Between items it checks whether Spark killed the task (a cancelled job), so a cancelled
 * slice stops after the item it is running.
 */
public final class SliceTask extends AbstractFunction1<Iterator<Slice>, SliceResult> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TaskPackage pkg;
    private final boolean stopAtFirstFailure;

    /**
     * @param pkg the function's package
     * @param stopAtFirstFailure whether a failing item ends its slice (pmap) or not (pmapCollect)
     */
    public SliceTask(TaskPackage pkg, boolean stopAtFirstFailure) {
        this.pkg = pkg;
        this.stopAtFirstFailure = stopAtFirstFailure;
    }

    @Override
    public SliceResult apply(Iterator<Slice> slices) {
        Slice slice = slices.next();
        TaskPackage.Unpacked unpacked = pkg.unpack();
        @SuppressWarnings("unchecked")
        ParFunction<Object, Object> f = (ParFunction<Object, Object>) unpacked.function();
        Object[] items = (Object[]) Codec.decodeUnchecked(slice.items(), unpacked.loader());
        Object[] values = new Object[items.length];
        Throwable[] errors = new Throwable[items.length];
        TaskContext context = TaskContext.get();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(unpacked.loader());
        int ran = 0;
        try {
            for (; ran < items.length; ran++) {
                if (context != null) {
                    context.killTaskIfInterrupted();
                }
                try {
                    values[ran] = f.apply(items[ran]);
                } catch (Exception | Error e) {
                    if (context != null && (e instanceof InterruptedException || context.isInterrupted())) {
                        context.killTaskIfInterrupted(); // a cancelled job, not the item's failure
                    }
                    errors[ran] = e;
                    if (stopAtFirstFailure) {
                        ran++;
                        break;
                    }
                }
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return new SliceResult(slice.number(), slice.first(), encode(values, errors, ran),
                ManagementFactory.getRuntimeMXBean().getName());
    }

    private static byte[] encode(Object[] values, Throwable[] errors, int ran) {
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] != null && !serializable(errors[i])) {
                errors[i] = new RemoteException(errors[i]);
            }
        }
        try {
            return Codec.encode(new SliceResult.Outcomes(values, errors, ran), null);
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
                return Codec.encode(new SliceResult.Outcomes(values, errors, ran), null);
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
