package dev.parkit.engine;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads and per-worker state: what a {@link dev.parkit.Pool} owns.
 *
 * <p>CPU engines run on named daemon platform threads that time out after {@link #KEEP_ALIVE_SECONDS}
 * idle, so a kernel that stops mapping holds no threads. IO engines use one virtual thread per
 * worker where the JVM has them (21+), else a platform pool. With an initializer, the engine has
 * one state slot per worker; a running worker holds one slot, so its state is used by one thread
 * at a time.
 */
public final class Engine implements AutoCloseable {
    static final long KEEP_ALIVE_SECONDS = 30;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final String name;
    private final boolean io;
    private final boolean virtual;
    private final ExecutorService executor;
    private final Callable<?> initializer;
    private final List<Slot> slots = new ArrayList<>();
    private final BlockingQueue<Slot> freeSlots;
    private final AtomicInteger initialized = new AtomicInteger();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile int workers;
    private volatile boolean closed;

    /**
     * @param workers the number of workers, >= 1
     * @param io true for latency-bound work (virtual threads where available)
     * @param initializer creates a worker's state, or null for none
     */
    public Engine(int workers, boolean io, Callable<?> initializer) {
        this.workers = workers;
        this.io = io;
        this.initializer = initializer;
        this.name = "parkit-" + (io ? "io" : "cpu") + "-" + POOLS.incrementAndGet();
        ExecutorService vt = io ? virtualThreadExecutor(name) : null;
        this.virtual = vt != null;
        if (vt != null) {
            executor = vt;
        } else {
            ThreadFactory daemons = daemonThreads(name);
            ThreadFactory tracked = r -> {
                Thread t = daemons.newThread(r);
                threads.removeIf(old -> !old.isAlive()); // threads that timed out idle
                threads.add(t);
                return t;
            };
            ThreadPoolExecutor tpe = new ThreadPoolExecutor(workers, workers, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), tracked);
            tpe.allowCoreThreadTimeOut(true);
            executor = tpe;
        }
        if (initializer != null) {
            freeSlots = new ArrayBlockingQueue<>(workers);
            for (int i = 0; i < workers; i++) {
                Slot s = new Slot(this);
                slots.add(s);
                freeSlots.add(s);
            }
        } else {
            freeSlots = null;
        }
    }

    /** @return the pool's name, also the prefix of its threads' names */
    public String name() {
        return name;
    }

    /** @return the number of workers */
    public int workers() {
        return workers;
    }

    /** @return true for an IO engine */
    public boolean io() {
        return io;
    }

    /** @return true when the workers are virtual threads */
    public boolean virtual() {
        return virtual;
    }

    /** @return true once closed */
    public boolean closed() {
        return closed;
    }

    /** @return how many worker states the initializer has created so far */
    public int statesCreated() {
        return initialized.get();
    }

    /** @return the platform threads alive now (0 for virtual threads, which are not pooled) */
    public int liveThreads() {
        return executor instanceof ThreadPoolExecutor tpe ? tpe.getPoolSize() : 0;
    }

    /**
     * Raises the number of workers of a stateless engine (the shared default pools grow to the
     * largest worker count a call asked for; idle threads still time out).
     *
     * @param n the number of workers wanted
     */
    public synchronized void ensureWorkers(int n) {
        if (n <= workers) {
            return;
        }
        if (initializer != null) {
            throw new IllegalStateException("a pool with per-worker state cannot grow");
        }
        if (executor instanceof ThreadPoolExecutor tpe) {
            tpe.setMaximumPoolSize(n);
            tpe.setCorePoolSize(n);
        }
        workers = n;
    }

    void submit(Runnable r) {
        if (closed) {
            throw new IllegalStateException("pool " + name + " is closed");
        }
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("pool " + name + " is closed", e);
        }
    }

    /** Takes a free slot, waiting for one; null for a stateless engine. */
    Slot acquire() throws InterruptedException {
        return freeSlots == null ? null : freeSlots.take();
    }

    /** Takes a free slot if one is free now; null when none is (or the engine is stateless). */
    Slot tryAcquire() {
        return freeSlots == null ? null : freeSlots.poll();
    }

    /** @return true when the engine has per-worker state */
    public boolean stateful() {
        return initializer != null;
    }

    void release(Slot s) {
        if (s != null) {
            freeSlots.add(s);
        }
    }

    /**
     * Stops the threads (running items are interrupted) and closes each worker state that is
     * {@link AutoCloseable}. Idempotent.
     *
     * @throws IllegalStateException if closing a state threw; every state is still closed
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        executor.shutdownNow();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean stopped = executor.awaitTermination(10, TimeUnit.SECONDS);
            for (Thread t : threads) { // terminated means idle; wait until the threads are gone too
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                stopped &= !t.isAlive();
            }
            if (!stopped) {
                System.getLogger("dev.parkit").log(System.Logger.Level.WARNING,
                        "pool " + name + ": a worker ignored interruption for 10 s; closing its state anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IllegalStateException failure = null;
        for (Slot s : slots) {
            try {
                s.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing a worker state of pool " + name + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return name + "[workers=" + workers + (virtual ? ", virtual threads" : "") + (closed ? ", closed" : "") + "]";
    }

    /** One worker's state, created on first use. */
    static final class Slot {
        private final Engine engine;
        private boolean created;
        private Object state;

        Slot(Engine engine) {
            this.engine = engine;
        }

        /** Called only by the thread holding the slot. */
        Object state() throws Exception {
            if (!created) {
                state = engine.initializer.call();
                created = true;
                engine.initialized.incrementAndGet();
            }
            return state;
        }

        Engine engine() {
            return engine;
        }

        void close() throws Exception {
            if (created && state instanceof AutoCloseable c) {
                created = false;
                c.close();
            }
        }
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static ExecutorService virtualThreadExecutor(String prefix) {
        // Java 17 is the baseline: reach the Java 21 API reflectively when the running JVM has it.
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix + "-", 1L);
            ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
            Method m = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
            return (ExecutorService) m.invoke(null, factory);
        } catch (ReflectiveOperationException e) {
            return null; // before Java 21: a bounded platform pool
        }
    }
}
