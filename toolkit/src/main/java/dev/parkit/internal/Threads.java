package dev.parkit.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The threads an engine runs on: named daemon platform threads, or virtual threads on 21+. */
final class Threads {
    /**
     * How long an idle platform thread waits for work: 1 s. Longer (30 to 60 s), pooled threads
     * woken on a busy machine can stay stuck together on one core (calls at 0.99 to 1.07x seen
     * while another process loaded the other core); shorter (100 ms), a call after a pause starts
     * on new threads, and the second one starts 1 to 5 ms late. Measured with {@code ./bench
     * --quick --only 1,2c}, 3 runs each, 2c's speedup: quiet, 1.88-1.92 (100 ms), 1.95-1.97 (1 s),
     * 1.93-1.97 (60 s); with a busy loop on the other core, 1.44-1.46, 1.48-1.50, and 0.99-1.48.
     * The system property {@code parkit.keepAliveMs} overrides it, for measurements.
     */
    static final long KEEP_ALIVE_MILLIS = Long.getLong("parkit.keepAliveMs", 1000);

    private Threads() {}

    static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A pool of {@code size} platform threads that exit after {@link #KEEP_ALIVE_MILLIS} idle. */
    static ThreadPoolExecutor platform(String prefix, int size, java.util.Set<Thread> made) {
        ThreadFactory daemons = daemons(prefix);
        ThreadFactory tracked = r -> {
            Thread t = daemons.newThread(r);
            made.removeIf(old -> !old.isAlive()); // threads that timed out idle
            made.add(t);
            return t;
        };
        ThreadPoolExecutor tpe = new ThreadPoolExecutor(size, size, KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS,
                new SpinningQueue<>(), tracked);
        tpe.allowCoreThreadTimeOut(true);
        return tpe;
    }

    /**
     * How long an idle worker looks for new work before it parks: about twice what it costs to
     * park a thread and wake it again here, so back-to-back calls (a loop of small calls) hand
     * their work to a running thread instead of waking one; measured with {@code ./bench --jmh}.
     */
    static final long SPIN_NANOS = Long.getLong("parkit.spinMicros", 50) * 1000;

    /** A work queue whose takers spin for {@link #SPIN_NANOS} before they park, as ForkJoinPool's workers scan before they park. */
    private static final class SpinningQueue<E> extends LinkedBlockingQueue<E> {
        @Override
        public E take() throws InterruptedException {
            E e = spin();
            return e != null ? e : super.take();
        }

        @Override
        public E poll(long timeout, TimeUnit unit) throws InterruptedException {
            E e = spin();
            return e != null ? e : super.poll(timeout, unit);
        }

        private E spin() throws InterruptedException {
            long deadline = System.nanoTime() + SPIN_NANOS;
            for (int i = 0; ; i++) {
                E e = poll(); // no lock when empty
                if (e != null) {
                    return e;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException(); // as take() would: shutdownNow wakes idle workers so
                }
                if (pause(i) && System.nanoTime() >= deadline) {
                    return null;
                }
            }
        }
    }

    /**
     * One step of a spin-wait: a spin hint for the first steps, then a yield, so that a spinning
     * thread gives its core to runnable work on a busy machine (spinning alone, three threads on
     * two cores made a tiny call 130 us instead of 9 under load).
     *
     * @return true when it is time to look at the clock: every 64th spin hint, and after every
     *     yield (which can take milliseconds on a busy machine)
     */
    static boolean pause(int step) {
        if (step < 256) {
            Thread.onSpinWait();
            return (step & 63) == 63;
        }
        Thread.yield();
        return true;
    }

    /**
     * A thread-per-task executor of virtual threads, or null before Java 21. Java 17 is the
     * baseline, so the Java 21 API is reached through method handles.
     */
    static ExecutorService virtual(String prefix) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Object builder = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualType))
                    .invoke();
            MethodHandle name = lookup.findVirtual(ofVirtualType, "name",
                    MethodType.methodType(ofVirtualType, String.class, long.class));
            builder = name.invoke(builder, prefix + "-", 1L);
            ThreadFactory factory = (ThreadFactory) lookup.findVirtual(builderType, "factory",
                    MethodType.methodType(ThreadFactory.class)).invoke(builder);
            return (ExecutorService) lookup.findStatic(java.util.concurrent.Executors.class, "newThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class, ThreadFactory.class)).invoke(factory);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return null; // before Java 21: the caller uses a bounded platform pool
        } catch (Throwable e) {
            throw new IllegalStateException("could not create virtual threads", e);
        }
    }

    /**
     * Stops a thread with an asynchronous {@code ThreadDeath}, as JShell stops a snippet's
     * thread: only for ParKit's own workers stuck in an item that ignores interrupts, and only
     * when the user stopped the call that way (JShell's Ctrl-C).
     *
     * @return false where the JVM no longer supports it (Java 20+)
     */
    @SuppressWarnings({"deprecation", "removal"})
    static boolean stop(Thread t) {
        try {
            t.stop();
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }
}
