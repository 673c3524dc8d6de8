package dev.parkit.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * One map call: the scheduler. Runners claim chunks of the source and run them on the engine;
 * the delivery, chosen once at the start, hands results to the consumer (the calling thread); the
 * failure policy decides what a failure cancels; the timeout monitor owns the timeouts.
 *
 * <p>Invariants:
 * <ul>
 * <li>{@code state} goes RUNNING -> DONE (every item came back and the consumer has them) or
 *     RUNNING -> STOPPED (a failure the policy does not carry past, an interrupt, the stream
 *     closed, the pool closed), by compare-and-set, never back;
 * <li>{@code cancelFrom} only decreases: no item at or past it starts;
 * <li>{@code claimed} and {@code exhausted} change only under {@code claimLock}, which only
 *     runners take (the caller too, while it runs items), while reading the source; {@code claimed - delivered} stays within the window
 *     for lazy deliveries;
 * <li>{@code running} counts the runners inside the call (each holds a slot), at most
 *     {@code workers}, a consumer that helps included; {@code pending} counts submitted runners
 *     not yet exited, at most {@code workers};
 * <li>the consumer takes no lock at all: it reads atomics, parks, and is unparked by runners
 *     after every completion, failure and stop, so an asynchronous error (JShell's stop) can hit
 *     it anywhere without leaving a lock held. Nothing calls out (user code, display, hooks)
 *     while holding a lock.
 * </ul>
 */
public final class Call {
    /** How results reach the consumer. */
    public enum Mode {
        /** All results at once, in input order; the first failure fails the call. */
        ALL,
        /** All results at once, in input order; failures are collected, not thrown. */
        COLLECT,
        /** Lazily, in input order, within a bounded window. */
        ORDERED,
        /** Lazily, in completion order, within a bounded window. */
        UNORDERED
    }

    /** Why a call stopped before its end. */
    enum Stop { FAILED, INTERRUPTED, CLOSED, POOL_CLOSED, ABORTED }

    private enum State { RUNNING, DONE, STOPPED }

    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final int WINDOW_ITEMS_PER_WORKER = 4096;

    private final String op;
    private final Engine engine;
    private final Task task;
    private final Source source;
    final Mode mode;
    final FailurePolicy policy;
    private final int workers;
    private final ChunkSizer sizer;
    private final long timeoutNanos;
    private final TimeoutMonitor monitor;
    private final Function<ItemFailure, RuntimeException> failureToException;
    final Delivery delivery;

    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private volatile Stop stop;
    private volatile long cancelFrom = Long.MAX_VALUE;
    private final Object claimLock = new Object(); // a monitor: released even by an asynchronous stop
    private volatile long claimed;
    private volatile boolean exhausted;
    final AtomicLong delivered = new AtomicLong();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final Set<Runner> runners = ConcurrentHashMap.newKeySet();
    private final LongAdder done = new LongAdder();
    private final ConcurrentHashMap<Slot, LongAdder> donePerSlot = new ConcurrentHashMap<>();
    private final AtomicLong failedCount = new AtomicLong();
    private final Object failureLock = new Object();
    private volatile ItemFailure first;
    private final List<ItemFailure> failures = new ArrayList<>(); // guarded by failureLock
    private volatile Thread consumer;
    /** pmap and pmapCollect: the calling thread runs chunks too, so one runner fewer is started. */
    private final boolean callerHelps;
    private boolean callerGaveUp; // consumer only
    private volatile List<Long> stuck = List.of();
    private volatile boolean stuckStopped;
    private final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();

    private Runnable tick;
    private Runnable onStop;
    private long tickPeriodNanos;
    private long nextTick;

    private Call(String op, Engine engine, Task task, Source source, Mode mode, int workers, int chunkSize,
            long timeoutNanos, Function<ItemFailure, RuntimeException> failureToException) {
        this.op = op;
        this.engine = engine;
        this.task = task;
        this.source = source;
        this.mode = mode;
        this.policy = switch (mode) {
            case ALL, UNORDERED -> FailurePolicy.FAIL_FAST;
            case ORDERED -> FailurePolicy.FAIL_AFTER;
            case COLLECT -> FailurePolicy.COLLECT;
        };
        this.workers = workers;
        this.sizer = new ChunkSizer(chunkSize);
        this.timeoutNanos = timeoutNanos;
        this.monitor = timeoutNanos > 0 ? new TimeoutMonitor(this, timeoutNanos) : null;
        this.failureToException = failureToException;
        this.delivery = Delivery.of(this);
        this.consumer = Thread.currentThread();
        this.exhausted = source.size() == 0;
        // Off: a calling thread stuck in an item that ignores interrupts could not return when the
        // cell is interrupted, and the kernel's next cell would wait for it.
        this.callerHelps = false;
    }

    /**
     * Makes a call, registered with its engine; its workers start with {@link #begin()}, which
     * the consumer calls inside the block that stops the call if anything hits it.
     *
     * @param op the operation's name for messages, e.g. {@code pmap}
     * @param engine where the work runs
     * @param task the per-item function
     * @param source the items
     * @param mode how results are delivered
     * @param workers how many items may run at once
     * @param chunkSize items per claim, or 0 for automatic
     * @param timeoutNanos the per-item timeout, or 0 for none
     * @param failureToException turns the failure that ends the call into what the consumer throws
     * @return the call, or null when the engine takes no new calls (closed or retiring)
     */
    public static Call create(String op, Engine engine, Task task, Source source, Mode mode, int workers,
            int chunkSize, long timeoutNanos, Function<ItemFailure, RuntimeException> failureToException) {
        Call call = new Call(op, engine, task, source, mode, workers, chunkSize, timeoutNanos, failureToException);
        return engine.register(call) ? call : null;
    }

    /** Starts the workers. */
    public void begin() {
        spawn();
    }

    /** @return the operation's name, e.g. {@code pmap} */
    public String op() {
        return op;
    }

    /** @return the number of items processed so far (succeeded or failed) */
    public long done() {
        return done.sum();
    }

    /** @return the number of items, or -1 when the source does not know */
    public long total() {
        return source.size();
    }

    /** @return how many items may run at once */
    public int workers() {
        return workers;
    }

    /** @return items finished by each worker (slot) so far, in the order the workers were made */
    public List<Long> donePerWorker() {
        List<java.util.Map.Entry<Slot, LongAdder>> entries = new ArrayList<>(donePerSlot.entrySet());
        entries.sort(Comparator.comparingInt(e -> e.getKey().id));
        List<Long> out = new ArrayList<>(entries.size());
        for (java.util.Map.Entry<Slot, LongAdder> e : entries) {
            out.add(e.getValue().sum());
        }
        return out;
    }

    /** @return how many items have failed so far */
    public long failedCount() {
        return failedCount.get();
    }

    /** @return how many runners are inside an item right now */
    public int busy() {
        int n = 0;
        for (Runner r : runners) {
            n += r.inItem() ? 1 : 0;
        }
        return n;
    }

    /**
     * Has the consumer run {@code tick} about every {@code periodNanos} while it waits (a kernel
     * only shows output sent from the cell's own thread).
     */
    public void onTick(Runnable tick, long periodNanos) {
        this.tick = tick;
        this.tickPeriodNanos = periodNanos;
        this.nextTick = System.nanoTime() + periodNanos;
    }

    /**
     * Has the consumer run {@code hook} as soon as it is interrupted or stopped, before it waits
     * for running items to stop (a kernel ends the cell at once and drops what comes later).
     */
    public void onStop(Runnable hook) {
        this.onStop = hook;
    }

    /** Waits for every result ({@link Mode#ALL}, {@link Mode#COLLECT}); see {@link Delivery}. */
    public List<Object> awaitAll() {
        return ((Delivery.All) delivery).await();
    }

    /** @return the lazy results ({@link Mode#ORDERED}, {@link Mode#UNORDERED}), for one thread */
    public Iterator<Object> iterator() {
        return (Iterator<Object>) delivery;
    }

    /** @return the failures recorded so far, by index ({@link Mode#COLLECT}) */
    public List<ItemFailure> failures() {
        List<ItemFailure> list;
        synchronized (failureLock) {
            list = new ArrayList<>(failures);
        }
        list.sort(Comparator.comparingLong(ItemFailure::index));
        return list;
    }

    /** Cancels the call (a lazy stream closed early): no new item starts. Idempotent. */
    public void cancel() {
        if (stopBy(Stop.CLOSED)) {
            engine.unregister(this);
        }
    }

    /**
     * What happened, for messages: {@code 3 of 400 items done}, and the items still running
     * when the call stopped, whose workers were retired.
     */
    public String summary() {
        long total = total();
        String s = done() + (total >= 0 ? " of " + total : "") + " items done";
        List<Long> st = stuck;
        if (!st.isEmpty()) {
            String items = st.size() <= 5 ? st.toString().replaceAll("[\\[\\]]", "")
                    : st.subList(0, 5).toString().replaceAll("[\\[\\]]", "") + ", ...";
            s += "; " + (st.size() == 1 ? "item " : "items ") + items + (st.size() == 1 ? " was" : " were")
                    + " still running after " + TimeoutMonitor.format(Engine.DRAIN_NANOS)
                    + " and ignore interrupts (" + (stuckStopped ? "stopped, as the snippet was"
                    : st.size() + (st.size() == 1 ? " worker" : " workers") + " retired; fresh ones take their place")
                    + ")";
        }
        return s;
    }

    // ---- state, read by runners, deliveries and the monitor ----

    Engine engine() {
        return engine;
    }

    boolean running() {
        return state.get() == State.RUNNING;
    }

    boolean stopped() {
        return state.get() == State.STOPPED;
    }

    Stop stopReason() {
        return stop;
    }

    ItemFailure firstFailure() {
        return first;
    }

    /**
     * @return true when every claimed item is processed and the source is exhausted. Every
     *     failure is recorded before this can turn true, so read {@link #firstFailure()} after it.
     */
    boolean allProcessed() {
        return exhausted && outstanding.get() == 0;
    }

    Collection<Runner> runners() {
        return runners;
    }

    int runnerCount() {
        return running.get();
    }

    boolean claimable() {
        return running() && !exhausted && claimed < cancelFrom && claimed - delivered.get() < window();
    }

    private long window() {
        if (mode == Mode.ALL || mode == Mode.COLLECT) {
            return Long.MAX_VALUE;
        }
        long perWorker = Math.min(WINDOW_ITEMS_PER_WORKER, Math.max(8, 2L * sizer.typical()));
        return workers * perWorker;
    }

    // ---- runners ----

    /** Submits runners up to the workers the call may use, and no more than items remain. */
    void spawn() {
        boolean caller = callerHelps && !callerGaveUp;
        int cap = caller ? workers - 1 : workers;
        long size = source.size();
        long want = size >= 0 ? Math.min(cap, pending.get() + Math.max(0, size - claimed - (caller ? 1 : 0))) : cap;
        while (claimable() && running.get() < workers) {
            int p = pending.get();
            if (p >= want) {
                return;
            }
            if (!pending.compareAndSet(p, p + 1)) {
                continue;
            }
            try {
                engine.submit(new Runner(this, true));
            } catch (IllegalStateException e) {
                pending.decrementAndGet();
                stopBy(Stop.POOL_CLOSED);
                return;
            }
        }
    }

    void runnerExited() {
        pending.decrementAndGet();
        if (claimable()) {
            spawn(); // the window has room again, or the runner yielded its thread
        }
    }

    /** @return true if the runner may run items of this call (at most {@code workers} at once) */
    boolean enter(Runner r) {
        while (true) {
            int n = running.get();
            if (n >= workers || !claimable()) {
                return false;
            }
            if (running.compareAndSet(n, n + 1)) {
                break;
            }
        }
        runners.add(r);
        if (monitor != null) {
            monitor.start();
        }
        return true;
    }

    void leave(Runner r) {
        runners.remove(r);
        running.decrementAndGet();
        wakeConsumer();
    }

    /**
     * The next chunk for a runner, or null when there is nothing to claim now. Reading the source
     * counts as an item for interrupts: a runner blocked in a source (a queue's take) is
     * interrupted when the call stops, and retired if it ignores that.
     */
    Chunk claim(Runner r) {
        if (!claimable()) {
            return null;
        }
        synchronized (claimLock) {
            if (!claimable()) {
                return null;
            }
            long size = source.size();
            long k = sizer.next(size >= 0 ? size - claimed : -1, workers);
            k = Math.min(k, Math.max(1, window() - (claimed - delivered.get())));
            k = Math.min(k, cancelFrom - claimed);
            Chunk c;
            long unit = r.begin(claimed, null);
            try {
                c = source.pull(claimed, (int) Math.max(1, k));
            } catch (Source.SourceFailure e) {
                r.end(unit);
                // Recorded before exhausted is set: a consumer that sees the end sees the failure.
                record(new ItemFailure(claimed, null, e.getCause(), ItemFailure.Kind.SOURCE));
                exhausted = true;
                wakeConsumer();
                return null;
            }
            r.end(unit);
            if (c == null) {
                exhausted = true;
                wakeConsumer();
                return null;
            }
            outstanding.incrementAndGet();
            delivery.claimed(c);
            claimed += c.size;
            if (size >= 0 && claimed >= size) {
                exhausted = true;
            }
            return c;
        }
    }

    /**
     * Runs a chunk's items in the runner's slot.
     *
     * <p>Without a timeout the interrupt handshake brackets the whole chunk (ParKit interrupts an
     * untimed item only to cancel it, and everything after it in the chunk is cancelled too), so
     * a tiny item costs no atomic operation at all; with a timeout it brackets each item, so a
     * timeout's interrupt can never reach the next item.
     *
     * @return false when the runner was retired meanwhile (the chunk is then left alone)
     */
    boolean runChunk(Runner r, Chunk c) {
        Object state;
        try {
            state = r.slot.state();
        } catch (Throwable e) {
            failInitializer(c, e);
            return true;
        }
        boolean timed = monitor != null;
        boolean batchDone = sizer.tinyItems();
        long t0 = System.nanoTime();
        long unit = timed ? -1 : r.begin(c.start, null);
        int i = 0;
        int counted = 0;
        try {
            for (; i < c.size; i++) {
                long index = c.start + i;
                if (index >= cancelFrom) {
                    break;
                }
                Object x = c.input(i);
                long seq = timed ? r.begin(index, x) : r.at(index, unit);
                Object out = null;
                Throwable error = null;
                try {
                    out = task.apply(state, x);
                } catch (Throwable e) {
                    error = e;
                }
                if (r.caller && error instanceof ThreadDeath) {
                    throw (ThreadDeath) error; // JShell stopped the snippet while the caller ran an item
                }
                if (r.caller && (error instanceof InterruptedException || Thread.currentThread().isInterrupted())) {
                    Thread.currentThread().interrupt(); // the caller was interrupted: the call is, not the item
                    break;
                }
                if (timed) {
                    r.end(seq);
                }
                if (r.retired) {
                    return false;
                }
                boolean timedOut = timed && r.timedOutSeq == seq;
                if (!timedOut && index >= cancelFrom) {
                    break; // cancelled while it ran: neither a value nor a failure
                }
                if (timedOut || error != null) {
                    if (!timedOut && !record(new ItemFailure(index, x, error, ItemFailure.Kind.FUNCTION))) {
                        break; // a consequence of cancellation
                    }
                    done.increment();
                    counted++;
                    if (c.failedAt < 0) {
                        c.failedAt = i;
                    }
                    if (policy != FailurePolicy.COLLECT) {
                        i++;
                        break;
                    }
                } else {
                    c.out[i] = out;
                    if (!batchDone) {
                        done.increment();
                        counted++;
                    }
                }
            }
        } finally {
            if (!timed) {
                r.end(unit); // clears an interrupt that cancelled this chunk
            }
        }
        c.processed = i;
        if (counted < i) {
            done.add(i - counted); // tiny items: counted once per chunk, not one atomic add each
        }
        if (i > 0) {
            donePerSlot.computeIfAbsent(r.slot, k -> new LongAdder()).add(i);
        }
        sizer.record(i, System.nanoTime() - t0);
        return true;
    }

    /** The worker's state could not be made: each item of the chunk comes back as a failure. */
    private void failInitializer(Chunk c, Throwable e) {
        int i = 0;
        for (; i < c.size && c.start + i < cancelFrom; i++) {
            if (!record(new ItemFailure(c.start + i, c.input(i), e, ItemFailure.Kind.INITIALIZER))) {
                break;
            }
            done.increment();
            if (c.failedAt < 0) {
                c.failedAt = i;
            }
            if (policy != FailurePolicy.COLLECT) {
                i++;
                break;
            }
        }
        c.processed = i;
    }

    void complete(Chunk c) {
        c.finished = true;
        delivery.completed(c); // before the count: a consumer that sees the end sees the chunk
        outstanding.decrementAndGet();
        wakeConsumer();
    }

    /** The timeout monitor found item {@code index} over its time; called before it is interrupted. */
    void timedOut(long index, Object input) {
        record(new ItemFailure(index, input, new TimeoutException("item " + index
                + " ran longer than the timeout of " + TimeoutMonitor.format(timeoutNanos)), ItemFailure.Kind.TIMEOUT));
    }

    /** Records a failure; @return false when it is a consequence of cancellation and is ignored. */
    boolean record(ItemFailure f) {
        long from;
        synchronized (failureLock) {
            if (policy == FailurePolicy.COLLECT) {
                if (stopped()) {
                    return false;
                }
                failures.add(f);
                failedCount.incrementAndGet();
                return true;
            }
            if (!running() || f.index() >= cancelFrom) {
                return false;
            }
            first = f;
            failedCount.incrementAndGet();
            from = policy.cancelFrom(f.index());
            cancelFrom = from;
        }
        interruptFrom(from);
        wakeConsumer();
        return true;
    }

    private void interruptFrom(long from) {
        for (Runner r : runners) {
            long seq = r.runningSeq();
            if (seq >= 0 && r.index >= from) {
                r.interrupt(seq, false);
            }
        }
    }

    // ---- stopping ----

    /** Stops the call: no item starts, running ones are interrupted. @return false if it was over */
    boolean stopBy(Stop why) {
        if (!state.compareAndSet(State.RUNNING, State.STOPPED)) {
            return false;
        }
        stop = why;
        synchronized (failureLock) {
            cancelFrom = 0;
        }
        interruptFrom(0);
        if (monitor != null) {
            monitor.stop();
        }
        engine.wakeAll();
        wakeConsumer();
        return true;
    }

    /** The consumer has every result. */
    void finish() {
        if (state.compareAndSet(State.RUNNING, State.DONE)) {
            if (monitor != null) {
                monitor.stop();
            }
            engine.unregister(this);
        }
    }

    /**
     * The consumer's side of a stop: tells the user first (the hook), then waits, bounded and
     * ignoring interrupts, for running items to stop; those that don't are retired.
     */
    void settle(Stop why) {
        stopBy(why);
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        Runnable hook = onStop;
        if (hook != null && stop != Stop.FAILED && stop != Stop.CLOSED) {
            hook.run();
        }
        drain();
    }

    private void drain() {
        Thread self = Thread.currentThread();
        consumer = self;
        boolean interrupted = false;
        long deadline = System.nanoTime() + Engine.DRAIN_NANOS;
        while (busyOtherThan(self)) {
            interruptFrom(cancelFrom); // again: an item that started as the call stopped is caught too
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
            interrupted |= Thread.interrupted(); // keep waiting; the flag is restored below
        }
        List<Long> left = new ArrayList<>();
        boolean stopAll = stop == Stop.ABORTED; // stopped as JShell stops a snippet: do the same to ours
        boolean allStopped = stopAll;
        for (Runner r : runners) {
            if (r.thread != self && r.inItem()) {
                r.retired = true;
                engine.retire(r.slot);
                left.add(r.index);
                allStopped &= stopAll && r.submitted && Threads.stop(r.thread);
            }
        }
        left.sort(null);
        stuckStopped = allStopped && !left.isEmpty();
        stuck = List.copyOf(left);
        engine.unregister(this);
        if (interrupted) {
            self.interrupt();
        }
    }

    private boolean busyOtherThan(Thread self) {
        for (Runner r : runners) {
            if (r.thread != self && r.inItem()) {
                return true;
            }
        }
        return false;
    }

    // ---- the consumer ----

    /** The consumer is about to check the call's state: wake it from now on. */
    void consumerEnter() {
        consumer = Thread.currentThread();
    }

    private void wakeConsumer() {
        Thread t = consumer;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Waits for something to change: helps run items when the consumer is itself a worker, runs
     * the tick when due, else parks until a runner wakes it.
     *
     * @throws CancellationException if the consumer is interrupted (the call is stopped first)
     */
    void pause() {
        if (tick != null && System.nanoTime() >= nextTick) {
            nextTick = System.nanoTime() + tickPeriodNanos;
            tick.run();
            return;
        }
        boolean participant = Runner.participant();
        if ((participant || callerHelps && !callerGaveUp) && claimable()) {
            if (help(!participant)) {
                if (Thread.interrupted()) {
                    throw interrupted();
                }
                return;
            }
            if (!participant) {
                callerGaveUp = true; // no free slot (other callers): start the last runner instead
                spawn();
            }
        }
        if (pending.get() == 0 && claimable()) {
            spawn();
        }
        long wait = MAX_PARK_NANOS;
        if (tick != null) {
            wait = Math.max(0, Math.min(wait, nextTick - System.nanoTime()));
        }
        LockSupport.parkNanos(this, wait);
        if (Thread.interrupted()) {
            throw interrupted();
        }
    }

    /**
     * The consumer runs items of this call instead of only waiting: a nested caller (itself a
     * worker) until nothing is left to claim, the calling thread of pmap one chunk at a time, so
     * it still draws progress and sees interrupts between chunks.
     */
    private boolean help(boolean caller) {
        Runner helper = new Runner(this, false, caller);
        helper.run();
        return helper.entered;
    }

    /** @return the exception for an interrupted consumer; the call is stopped and drained */
    CancellationException interrupted() {
        settle(Stop.INTERRUPTED);
        Thread.currentThread().interrupt();
        return new CancellationException(op + " cancelled: interrupted with " + summary());
    }

    /** @return what the consumer throws for a call stopped from outside (pool closed, stream closed) */
    RuntimeException stoppedException() {
        ItemFailure f = first;
        if (f != null && stop == Stop.FAILED) {
            return failureToException.apply(f);
        }
        settle(stop);
        if (stop == Stop.INTERRUPTED) {
            return new CancellationException(op + " cancelled: interrupted with " + summary());
        }
        String why = stop == Stop.POOL_CLOSED ? "the pool " + engine.name() + " was closed" : "the call was closed";
        return new CancellationException(op + " cancelled: " + why + " with " + summary());
    }

    /** @return the exception for the failure that ends the call; the call is stopped and drained */
    RuntimeException failed() {
        ItemFailure f = first;
        settle(Stop.FAILED);
        return failureToException.apply(f);
    }

    /**
     * Something hit the consumer (an asynchronous stop, an error in a hook): stops the call and
     * waits for its running items, as for an interrupt. Does nothing once the call is over.
     */
    public void abort() {
        if (running()) {
            settle(Stop.ABORTED);
        }
    }
}
