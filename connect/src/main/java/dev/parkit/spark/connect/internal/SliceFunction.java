package dev.parkit.spark.connect.internal;

import dev.parkit.spark.internal.Codec;
import dev.parkit.spark.internal.Slice;
import dev.parkit.spark.internal.SliceResult;
import dev.parkit.spark.internal.SliceRun;
import dev.parkit.spark.internal.TaskPackage;
import java.lang.reflect.InvocationTargetException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.apache.spark.api.java.function.MapPartitionsFunction;

/**
 * What the one Spark task of a chunk's Spark Connect operation runs on an executor: the slice
 * travels inside this function (the query is {@code spark.range(0, 1, 1, 1)} mapped by it: one
 * stage, one task, no shuffle). It unpacks the function (cached by content per JVM), runs the
 * slice with {@link SliceRun}, the executor side shared with the driver in the kernel, and
 * returns the serialized {@link SliceResult}.
 *
 * <p>When the operation is interrupted, Spark kills the task and interrupts its thread: the slice
 * stops as an interrupted local call does, and the task ends killed, not failed. Spark's
 * {@code TaskContext} is reached by reflection: this class is compiled against the Connect
 * client, which has no Spark core.
 */
public final class SliceFunction implements MapPartitionsFunction<Long, byte[]> {
    private static final long serialVersionUID = 1L;

    private final TaskPackage pkg;
    private final Slice slice;
    private final boolean stopAtFirstFailure;
    private final long timeoutNanos;

    /**
     * @param pkg the call's function, packed once at the call's start
     * @param slice the chunk's items
     * @param stopAtFirstFailure whether a failing item ends the slice (every policy but collecting)
     * @param timeoutNanos the longest an item may run, or 0 for no limit
     */
    public SliceFunction(TaskPackage pkg, Slice slice, boolean stopAtFirstFailure, long timeoutNanos) {
        this.pkg = pkg;
        this.slice = slice;
        this.stopAtFirstFailure = stopAtFirstFailure;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public Iterator<byte[]> call(Iterator<Long> partition) throws Exception {
        TaskPackage.Unpacked unpacked = pkg.arrived().unpack();
        SliceResult result;
        try {
            result = SliceRun.run(slice, unpacked, stopAtFirstFailure, timeoutNanos, n -> { });
        } catch (CancellationException e) {
            killTaskIfInterrupted(); // Spark killed the task: an interrupted operation, not a failure
            throw e;
        }
        return List.of(Codec.encode(result, null)).iterator();
    }

    /** {@code TaskContext.get().killTaskIfInterrupted()}, by reflection; nothing off an executor. */
    private static void killTaskIfInterrupted() {
        try {
            Class<?> c = Class.forName("org.apache.spark.TaskContext");
            Object context = c.getMethod("get").invoke(null);
            if (context != null) {
                c.getMethod("killTaskIfInterrupted").invoke(context);
            }
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // TaskKilledException
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            // not on an executor: nothing to ask
        }
    }
}
