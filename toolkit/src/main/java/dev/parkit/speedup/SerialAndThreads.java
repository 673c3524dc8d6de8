package dev.parkit.speedup;

import dev.parkit.ParFunction;
import dev.parkit.util.Text;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The two runs without ParKit: the plain serial loop, on a fresh thread of its own (not the
 * caller's, whose state a notebook kernel or JShell shapes), and n bare threads, each on a fixed
 * equal share of the items (thread t takes items t, t + n, t + 2n, ...).
 */
final class SerialAndThreads {

    static final String SERIAL_THREAD = "parkit-speedup-serial";
    static final String THREAD_PREFIX = "parkit-speedup-thread-";

    private final ParFunction<Object, Object> f;
    private final List<Object> items;

    SerialAndThreads(ParFunction<Object, Object> f, List<Object> items) {
        this.f = f;
        this.items = items;
    }

    /**
     * The serial loop, timed inside its thread; puts its wall and CPU time, ms, into {@code wallCpu}.
     *
     * @throws IllegalStateException if {@code f} throws, naming the item
     * @throws CancellationException if the caller or the loop is interrupted
     */
    List<Object> serial(double[] wallCpu) {
        Object[] out = new Object[items.size()];
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            long cpu0 = SpeedupRunner.processCpuNanos();
            long t0 = System.nanoTime();
            failure.set(loop(0, 1, out, "the serial loop"));
            wallCpu[0] = (System.nanoTime() - t0) / 1e6;
            wallCpu[1] = SpeedupRunner.cpuMs(cpu0);
        }, SERIAL_THREAD);
        join(new Thread[] {t}, "the serial loop");
        if (failure.get() != null) {
            throw failure.get();
        }
        return Arrays.asList(out);
    }

    /**
     * {@code n} bare threads, timed from before the first start to after the last join.
     *
     * @throws IllegalStateException if {@code f} throws, naming the item
     * @throws CancellationException if the caller is interrupted
     */
    List<Object> threads(int n, double[] wallCpu) {
        Object[] out = new Object[items.size()];
        List<AtomicReference<RuntimeException>> failures = new ArrayList<>();
        Thread[] ts = new Thread[n];
        String where = n + " bare threads";
        for (int k = 0; k < n; k++) {
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            failures.add(failure);
            int first = k;
            ts[k] = new Thread(() -> failure.set(loop(first, n, out, where)), THREAD_PREFIX + k);
        }
        long cpu0 = SpeedupRunner.processCpuNanos();
        long t0 = System.nanoTime();
        join(ts, where);
        wallCpu[0] = (System.nanoTime() - t0) / 1e6;
        wallCpu[1] = SpeedupRunner.cpuMs(cpu0);
        for (AtomicReference<RuntimeException> failure : failures) {
            if (failure.get() != null) {
                throw failure.get();
            }
        }
        return Arrays.asList(out);
    }

    /** Maps items first, first + step, ... into {@code out}; returns the failure, or null. */
    private RuntimeException loop(int first, int step, Object[] out, String where) {
        Thread me = Thread.currentThread();
        for (int i = first; i < out.length; i += step) {
            if (me.isInterrupted()) {
                return new CancellationException("speedup interrupted in " + where + " at item " + i);
            }
            Object x = items.get(i);
            try {
                out[i] = f.apply(x);
            } catch (InterruptedException e) {
                CancellationException c = new CancellationException("speedup interrupted in " + where + " at item " + i);
                c.initCause(e);
                return c;
            } catch (Exception | Error e) {
                return new IllegalStateException("f failed on item " + i + " (" + show(x) + ") in " + where + ": " + e, e);
            }
        }
        return null;
    }

    /** Starts and joins the threads; on the caller's interrupt, stops them, waits, and cancels. */
    private static void join(Thread[] ts, String where) {
        for (Thread t : ts) {
            t.setDaemon(true);
            t.start();
        }
        boolean interrupted = false;
        for (Thread t : ts) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    for (Thread other : ts) {
                        other.interrupt();
                    }
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new CancellationException("speedup interrupted during " + where);
        }
    }

    static String show(Object x) {
        return Text.preview(x);
    }
}
