package dev.parkit.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The place where work runs: threads and worker slots, what a {@link dev.parkit.Pool} owns.
 *
 * <p>Every item runs in a {@link Slot}: an engine of {@code n} workers has {@code n} slots, so at
 * most {@code n} items run at once across all its calls, whether its threads are platform threads
 * (named daemons that exit after 1 s idle) or virtual threads (Java 21+, IO engines). With an
 * initializer each slot carries its worker's state.
 *
 * <p>Invariants, all guarded by {@code this}:
 * <ul>
 * <li>{@code state} goes OPEN -> RETIRING (shared pools after {@code Par.shutdown()}: calls in
 *     flight finish, no new call registers) or OPEN/RETIRING -> CLOSED, never back;
 * <li>{@code slots} are the live slots, {@code free} those of them no runner holds; a retired
 *     slot is in neither, and is counted in {@code retiredBusy} until its stuck runner lets go;
 * <li>platform threads = {@code workers + retiredBusy}, so a stuck runner never costs a later
 *     call its parallelism;
 * <li>no user code (initializers, state {@code close()}) runs while the monitor is held.
 * </ul>
 */
public final class Engine {
    /** How long closing waits for running items to stop before it retires their workers. */
    static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final System.Logger LOG = System.getLogger("dev.parkit");

    private enum State { OPEN, RETIRING, CLOSED }

    private final String name;
    private final boolean io;
    private final WorkerThreads threads;
    private final Callable<?> initializer;
    private final AtomicInteger statesCreated = new AtomicInteger();
    private final Set<Slot> slots = new LinkedHashSet<>();
    private final Deque<Slot> free = new ArrayDeque<>();
    // Weak: a lazy stream dropped without close() must not keep its call (and results) alive.
    private final Set<Stoppable> calls = Collections.newSetFromMap(new WeakHashMap<>());
    private State state = State.OPEN;
    private int workers;
    private int retiredBusy;
    private volatile int slotWaiters; // written under this, read without

    /**
     * @param workers the number of workers, >= 1
     * @param io true for latency-bound work (virtual threads where available)
     * @param initializer creates a worker's state, or null for none
     */
    public Engine(int workers, boolean io, Callable<?> initializer) {
        this.workers = workers;
        this.io = io;
        this.name = "parkit-" + (io ? "io" : "cpu") + "-" + POOLS.incrementAndGet();
        this.initializer = initializer == null ? null : () -> {
            Object s = initializer.call();
            statesCreated.incrementAndGet();
            return s;
        };
        this.threads = new WorkerThreads(name, io, workers);
        for (int i = 0; i < workers; i++) {
            addSlot();
        }
    }

    /** @return the pool's name, also the prefix of its threads' names */
    public String name() {
        return name;
    }

    /** @return the number of workers */
    public synchronized int workers() {
        return workers;
    }

    /** @return true for an IO engine */
    public boolean io() {
        return io;
    }

    /** @return true when the workers are virtual threads */
    public boolean virtual() {
        return threads.virtual();
    }

    /** @return true when the engine has per-worker state */
    public boolean stateful() {
        return initializer != null;
    }

    /** @return true once closed */
    public synchronized boolean closed() {
        return state == State.CLOSED;
    }

    /** @return how many worker states the initializer has created so far */
    public int statesCreated() {
        return statesCreated.get();
    }

    /** @return the platform threads alive now (0 for virtual threads, which are not pooled) */
    public int liveThreads() {
        return threads.live();
    }

    /** @return how many retired workers are still stuck in an item that ignores interrupts */
    public synchronized int retiredBusy() {
        return retiredBusy;
    }

    /**
     * Raises the number of workers of a stateless engine (the shared pools grow to the largest
     * worker count a call asked for; idle threads still time out).
     *
     * @param n the number of workers wanted
     * @throws IllegalStateException for an engine with per-worker state
     */
    public synchronized void ensureWorkers(int n) {
        if (n <= workers) {
            return;
        }
        if (initializer != null) {
            throw new IllegalStateException("a pool with per-worker state cannot grow");
        }
        for (int i = workers; i < n; i++) {
            addSlot();
        }
        workers = n;
        resizeThreads();
        notifyAll();
    }

    // ---- calls ----

    /** @return false when the engine takes no new calls (closed, or retiring after shutdown) */
    synchronized boolean register(Stoppable call) {
        if (state != State.OPEN) {
            return false;
        }
        calls.add(call);
        return true;
    }

    /**
     * @return a call made on a worker (a nested call) of this engine that wants a worker and has
     *     none inside (every slot is held, some by threads waiting in calls nested in other
     *     pools), or null. A call made on any other thread is not one: this engine's own workers
     *     take it up as their slots free, and a waiting worker that ran all of its items would
     *     hold up the call it waits in.
     */
    synchronized Call starved() {
        for (Stoppable s : calls) {
            if (s instanceof Call c && c.nested && c.crew().count() == 0 && c.wantsWorker()) {
                return c;
            }
        }
        return null;
    }

    void unregister(Stoppable call) {
        boolean stop;
        synchronized (this) {
            calls.remove(call);
            stop = state == State.RETIRING && calls.isEmpty();
        }
        if (stop) {
            threads.shutdown();
        }
    }

    /** @throws IllegalStateException if the engine is closed */
    void submit(Runnable runner) {
        threads.submit(runner);
    }

    /** @return true when other work waits for a thread or a slot (a long runner should yield) */
    boolean contended() {
        return threads.queued() || slotWaiters > 0;
    }

    /**
     * Takes a free slot, waiting for one.
     *
     * @return the slot, or null when the call no longer needs runners or the engine closed
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    synchronized Slot acquire(Stoppable call) throws InterruptedException {
        while (true) {
            if (state == State.CLOSED || !call.wantsWorker()) {
                return null;
            }
            Slot s = free.pollFirst();
            if (s != null) {
                s.held = true;
                return s;
            }
            slotWaiters++;
            try {
                wait(100); // woken by release, stop and close; the timeout re-checks the call
            } finally {
                slotWaiters--;
            }
        }
    }

    /** @return a free slot if there is one now, else null */
    synchronized Slot tryAcquire() {
        if (state == State.CLOSED) {
            return null;
        }
        Slot s = free.pollFirst();
        if (s != null) {
            s.held = true;
        }
        return s;
    }

    /** Gives a slot back; a retired slot, or one of a closed engine, has its state closed. */
    void release(Slot s) {
        boolean close;
        synchronized (this) {
            s.held = false;
            if (s.retired) {
                retiredBusy--;
                resizeThreads();
                close = true;
            } else if (state == State.CLOSED || s.closeOnRelease) {
                close = true;
            } else {
                free.addFirst(s);
                close = false;
            }
            notifyAll();
        }
        if (close) {
            closeState(s);
        }
    }

    /**
     * Replaces a slot whose runner is stuck in an item that ignores interrupts: a fresh slot (and,
     * for platform threads, a fresh thread) takes its place at once.
     */
    synchronized void retire(Slot s) {
        if (s.retired || !s.held || !slots.remove(s)) {
            return;
        }
        s.retired = true;
        retiredBusy++;
        if (state != State.CLOSED) {
            addSlot();
        }
        resizeThreads();
        notifyAll();
    }

    synchronized void wakeAll() {
        notifyAll();
    }

    // ---- closing ----

    /** For the shared pools: no new calls; the threads stop once the calls in flight are over. */
    public void shutdownWhenIdle() {
        boolean stop;
        synchronized (this) {
            if (state == State.OPEN) {
                state = State.RETIRING;
            }
            stop = calls.isEmpty();
        }
        if (stop) {
            threads.shutdown();
        }
    }

    /**
     * Closes the engine: calls in flight are stopped (their callers get a
     * {@link java.util.concurrent.CancellationException}), running items are interrupted, and
     * it waits up to {@link #DRAIN_NANOS}, ignoring interrupts, for them to stop. Each worker
     * state is closed once no item uses it: now, or, for an item that ignores interrupts, when
     * that item ends. No item starts after this returns. Idempotent.
     *
     * @throws IllegalStateException if closing a state threw; every state is still closed
     */
    public void close() {
        List<Stoppable> active;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            active = new ArrayList<>(calls);
            notifyAll();
        }
        for (Stoppable c : active) {
            c.stopBy(Gate.Stop.POOL_CLOSED);
        }
        boolean interrupted = threads.stopAndAwait(System.nanoTime() + DRAIN_NANOS);
        List<Slot> idle = new ArrayList<>();
        synchronized (this) {
            for (Slot s : slots) {
                if (s.held) {
                    s.closeOnRelease = true; // still in an item (maybe this thread's own): closed on release
                } else {
                    idle.add(s);
                }
            }
            free.clear();
        }
        try {
            Slot.closeAll(idle, name);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes a released slot's state; a failure is logged, since no caller waits for it. */
    private void closeState(Slot s) {
        try {
            s.closeState();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "pool " + name + ": closing a worker state failed", e);
        }
    }

    private void addSlot() {
        Slot s = new Slot(initializer);
        slots.add(s);
        free.addLast(s);
    }

    private void resizeThreads() {
        if (state != State.CLOSED) {
            threads.resize(workers + retiredBusy);
        }
    }

    @Override
    public String toString() {
        return name + "[workers=" + workers() + (virtual() ? ", virtual threads" : "") + (closed() ? ", closed" : "") + "]";
    }
}
