package dev.parkit.spark.connect.internal;

import dev.parkit.ParFunction;
import dev.parkit.spark.RemoteException;
import dev.parkit.spark.internal.Codec;
import dev.parkit.spark.internal.Slice;
import dev.parkit.spark.internal.SliceResult;
import dev.parkit.spark.internal.TaskPackage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;

/**
 * What a Spark task runs on an executor for a call over Spark Connect: the call's slices travel
 * inside this function (so the query is {@code spark.range(0, slices, 1, slices)} mapped by it, one
 * stage and no shuffle), and each partition's numbers say which slices it runs. For each slice it
 * unpacks the function (cached by content per JVM), applies it to each item, and returns one
 * serialized {@link SliceDone}: the {@link SliceResult} and how long its items took.
 *
 * <p>Between items it asks Spark whether the task was killed (an interrupted operation), so a
 * cancelled slice stops after the item it is running. Spark's {@code TaskContext} is looked up by
 * reflection: this class is compiled against the Connect client, which has no Spark core.
 */
public final class SlicesTask implements MapPartitionsFunction<Long, byte[]> {
    private static final long serialVersionUID = 1L;

    private final TaskPackage pkg;
    private final List<Slice> slices;
    private final boolean stopAtFirstFailure;

    /**
     * @param pkg the function's package
     * @param slices the call's slices, by number
     * @param stopAtFirstFailure whether a failing item ends its slice (pmap) or not (pmapCollect)
     */
    public SlicesTask(TaskPackage pkg, List<Slice> slices, boolean stopAtFirstFailure) {
        this.pkg = pkg;
        this.slices = slices;
        this.stopAtFirstFailure = stopAtFirstFailure;
    }

    @Override
    public Iterator<byte[]> call(Iterator<Long> numbers) throws Exception {
        List<byte[]> out = new ArrayList<>();
        while (numbers.hasNext()) {
            out.add(run(slices.get(numbers.next().intValue())));
        }
        return out.iterator();
    }

    private byte[] run(Slice slice) throws IOException, ClassNotFoundException {
        TaskPackage.Unpacked unpacked = pkg.unpack();
        @SuppressWarnings("unchecked")
        ParFunction<Object, Object> f = (ParFunction<Object, Object>) unpacked.function();
        Object[] items = (Object[]) Codec.decode(slice.items(), unpacked.loader());
        long started = System.nanoTime();
        Object[] values = new Object[items.length];
        Throwable[] errors = new Throwable[items.length];
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(unpacked.loader());
        int ran = 0;
        try {
            for (; ran < items.length; ran++) {
                Kill.ifKilled();
                try {
                    values[ran] = f.apply(items[ran]);
                } catch (Exception | Error e) {
                    if (e instanceof InterruptedException || Kill.killed()) {
                        Kill.ifKilled(); // a cancelled operation, not the item's failure
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
        long nanos = System.nanoTime() - started;
        int failedAt = -1;
        for (int i = 0; i < ran && failedAt < 0; i++) {
            failedAt = errors[i] != null ? i : -1;
        }
        SliceResult result = new SliceResult(slice.number(), slice.first(), failedAt, encode(values, errors, ran),
                ManagementFactory.getRuntimeMXBean().getName());
        return Codec.encode(new SliceDone(result, nanos), null);
    }

    // As the driver-in-kernel SliceTask does: an exception or value that cannot travel back is
    // replaced, for its item only.
    private static byte[] encode(Object[] values, Throwable[] errors, int ran) {
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] != null && !serializable(errors[i])) {
                errors[i] = new RemoteException(errors[i]);
            }
        }
        try {
            return Codec.encode(new SliceResult.Outcomes(values, errors, new boolean[values.length], ran), null);
        } catch (IOException e) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null && !serializable(values[i])) {
                    errors[i] = new IllegalStateException("the result (a " + values[i].getClass().getName()
                            + ") cannot be sent back to the kernel: it is not serializable; make the function "
                            + "return a Serializable type");
                    values[i] = null;
                }
            }
            try {
                return Codec.encode(new SliceResult.Outcomes(values, errors, new boolean[values.length], ran), null);
            } catch (IOException again) {
                throw new IllegalStateException("results cannot be sent back to the kernel: " + again, again);
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

    /** Spark's TaskContext of the running task, by reflection (the executor has Spark core). */
    private static final class Kill {
        private static final Method GET;
        private static final Method KILL_IF_INTERRUPTED;
        private static final Method IS_INTERRUPTED;

        static {
            Method get = null;
            Method kill = null;
            Method is = null;
            try {
                Class<?> c = Class.forName("org.apache.spark.TaskContext");
                get = c.getMethod("get");
                kill = c.getMethod("killTaskIfInterrupted");
                is = c.getMethod("isInterrupted");
            } catch (ReflectiveOperationException | LinkageError e) {
                // not on an executor: nothing to ask
            }
            GET = get;
            KILL_IF_INTERRUPTED = kill;
            IS_INTERRUPTED = is;
        }

        /** Throws Spark's TaskKilledException if this task was killed. */
        static void ifKilled() {
            Object context = context();
            if (context != null) {
                invoke(KILL_IF_INTERRUPTED, context);
            }
        }

        static boolean killed() {
            Object context = context();
            return context != null && Boolean.TRUE.equals(invoke(IS_INTERRUPTED, context));
        }

        private static Object context() {
            return GET == null ? null : invoke(GET, null);
        }

        private static Object invoke(Method m, Object target) {
            try {
                return m.invoke(target);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
