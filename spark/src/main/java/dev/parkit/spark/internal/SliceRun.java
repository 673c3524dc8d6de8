package dev.parkit.spark.internal;

import dev.parkit.Options;
import dev.parkit.Par;
import dev.parkit.ParFunction;
import dev.parkit.Pool;
import dev.parkit.WorkerFunction;
import dev.parkit.calls.ChunkRuns;
import dev.parkit.internal.ChunkTask;
import dev.parkit.spark.RemoteException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * The executor's side of one slice, for every way a slice reaches an executor (a Spark task of
 * the driver in the kernel, or of a Spark Connect server): unpack the items, run them through
 * ParKit's own local engine ({@link ChunkRuns}: per-item timeouts, failure accounting and
 * interrupts as locally), and pack each item's value or failure to send back.
 *
 * <p>The calling thread (Spark's task thread) is the local call's caller: when Spark kills the
 * task it interrupts that thread, and the local call stops its items as an interrupt stops any
 * call, throwing {@link java.util.concurrent.CancellationException}.
 */
public final class SliceRun {
    private SliceRun() {}

    /**
     * Runs a slice's items, one at a time (a Spark task holds one core), on a worker of this
     * executor's shared ParKit pool.
     *
     * @param slice the slice
     * @param unpacked its function's package, unpacked in this JVM
     * @param stopAtFirstFailure whether the first failing item ends the slice (every policy but
     *     collecting)
     * @param timeoutNanos the longest an item may run, or 0 for no limit
     * @param progress told 1 each time an item ends
     * @return what goes back to the driver
     */
    public static SliceResult run(Slice slice, TaskPackage.Unpacked unpacked, boolean stopAtFirstFailure,
            long timeoutNanos, IntConsumer progress) {
        ParFunction<?, ?> f = (ParFunction<?, ?>) unpacked.function();
        return run(slice, unpacked, timeoutNanos,
                (items, o) -> ChunkRuns.run(Par.shared(), f, items, stopAtFirstFailure, o, progress));
    }

    /**
     * As {@link #run(Slice, TaskPackage.Unpacked, boolean, long, IntConsumer)}, on a worker of
     * {@code pool}, whose state the function (a {@link WorkerFunction}) is given.
     *
     * @param slice the slice
     * @param unpacked its function's package, unpacked in this JVM
     * @param pool this executor's pool of the cluster pool the call was made on
     * @param stopAtFirstFailure whether the first failing item ends the slice
     * @param timeoutNanos the longest an item may run, or 0 for no limit
     * @param progress told 1 each time an item ends
     * @return what goes back to the driver
     */
    public static SliceResult run(Slice slice, TaskPackage.Unpacked unpacked, Pool<Object> pool,
            boolean stopAtFirstFailure, long timeoutNanos, IntConsumer progress) {
        @SuppressWarnings("unchecked")
        WorkerFunction<Object, ?, ?> f = (WorkerFunction<Object, ?, ?>) unpacked.function();
        return run(slice, unpacked, timeoutNanos,
                (items, o) -> ChunkRuns.run(pool, f, items, stopAtFirstFailure, o, progress));
    }

    private static SliceResult run(Slice slice, TaskPackage.Unpacked unpacked, long timeoutNanos,
            java.util.function.BiFunction<Object[], Options, ChunkTask.Outcomes> local) {
        Object[] items = (Object[]) Codec.decodeUnchecked(slice.items(), unpacked.loader());
        Options o = Par.options().workers(1);
        if (timeoutNanos > 0) {
            o = o.timeout(Duration.ofNanos(timeoutNanos));
        }
        Thread me = Thread.currentThread();
        ClassLoader previous = me.getContextClassLoader();
        me.setContextClassLoader(unpacked.loader());
        ChunkTask.Outcomes out;
        try {
            out = local.apply(items, o);
        } finally {
            me.setContextClassLoader(previous);
        }
        return result(slice, out);
    }

    /** Packs a slice's outcomes to send back: a failure or a value that cannot travel is turned into one that can. */
    public static SliceResult result(Slice slice, ChunkTask.Outcomes out) {
        Object[] values = out.values();
        Throwable[] errors = out.errors();
        byte[] outcomes = encode(values, errors, out.timedOut(), out.ran()); // may turn a value into a failure
        int failedAt = 0;
        while (failedAt < out.ran() && errors[failedAt] == null) {
            failedAt++;
        }
        return new SliceResult(slice.number(), slice.first(), failedAt < out.ran() ? failedAt : -1, outcomes,
                ManagementFactory.getRuntimeMXBean().getName(), out.nanos());
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
