package dev.parkit.internal;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * One map call: the scheduler. Runners claim chunks of the source and run them on the engine
 * ({@link ChunkWork}); the {@link Delivery}, chosen once at the start, hands results to the
 * {@link Receiver} (the calling thread); the {@link Gate} decides whether an item may start and
 * what its ending means, and when the call stops; the {@link TimeoutMonitor} owns the timeouts.
 *
 * <p>Invariants:
 * <ul>
 * <li>the call's state, its cancel mark and its failures are the {@link Gate}'s, changed only
 *     there;
 * <li>chunks are claimed only through {@link Claims}, within the lazy deliveries' window;
 * <li>at most {@code workers} runners are inside the call, a nested caller's own included
 *     ({@link Crew} keeps their count);
 * <li>a failure is recorded before the count of outstanding chunks can reach zero, and a chunk is
 *     delivered before it is counted done: a receiver that sees the end sees everything;
 * <li>the receiver takes no lock, and nothing calls out (user code, display, hooks) while
 *     holding one.
 * </ul>
 */
public final class Call implements Stoppable {
    private final String op;
    private final Engine engine;
    /** Made on a worker, inside an item of another call: the only kind a waiting worker may help ({@link Runner#helpStarved}). */
    final boolean nested = Runner.participant();
    private final Task task;
    private final Source source;
    final Mode mode;
    private final int workers;
    private final ChunkSizer sizer;
    /** What ParKit has learned of the function's item cost, shared with its other calls. */
    private final AtomicLong cost;
    private final TimeoutMonitor monitor;
    private final Function<ItemFailure, RuntimeException> failureToException;
    private final Gate gate;
    private final Receiver receiver;
    final Delivery delivery;

    private final Claims claims;
    private final Crew crew;
    private final LongAdder done = new LongAdder();

    private Call(String op, Engine engine, Task task, Source source, Mode mode, int workers, int chunkSize,
            long timeoutNanos, Function<ItemFailure, RuntimeException> failureToException) {
        this.op = op;
        this.engine = engine;
        this.task = task;
        this.source = source;
        this.mode = mode;
        this.workers = workers;
        if (task instanceof ChunkTask remote) { // its chunks' time is mostly getting there: not the function's
            this.cost = new AtomicLong(-1);
            this.sizer = ChunkSizer.remote(chunkSize, remote.learnedNanosPerItem(), remote.chunkNanos());
        } else {
            this.cost = ItemCosts.of(task.function());
            this.sizer = new ChunkSizer(chunkSize, cost.get(), ChunkSizer.TARGET_NANOS);
        }
        this.monitor = timeoutNanos > 0 ? new TimeoutMonitor(this, timeoutNanos) : null;
        this.failureToException = failureToException;
        this.gate = new Gate(switch (mode) {
            case ALL, UNORDERED -> FailurePolicy.FAIL_FAST;
            case ORDERED -> FailurePolicy.FAIL_AFTER;
            case COLLECT -> FailurePolicy.COLLECT;
        }, new Gate.Effects() {
            @Override
            public void cancelled(long from) {
                crew.interruptFrom(from);
                receiver.wake();
            }

            @Override
            public void stopped() {
                if (monitor != null) {
                    monitor.stop();
                }
                engine.wakeAll();
            }
        });
        this.receiver = new Receiver(this, gate);
        this.crew = new Crew(this, workers);
        this.delivery = Delivery.of(this);
        this.claims = new Claims(this, gate, source, sizer, mode == Mode.ORDERED || mode == Mode.UNORDERED);
    }

    /**
     * Makes a call, registered with its engine; its workers start with {@link #begin()}, which
     * the receiver calls inside the block that stops the call if anything hits it.
     *
     * @param op the operation's name for messages, e.g. {@code pmap}
     * @param engine where the work runs
     * @param task the per-item function
     * @param source the items
     * @param mode how results are delivered
     * @param workers how many items may run at once
     * @param chunkSize items per claim, or 0 for automatic
     * @param timeoutNanos the per-item timeout, or 0 for none
     * @param failureToException turns the failure that ends the call into what the receiver throws
     * @return the call, or null when the engine takes no new calls (closed or retiring)
     */
    public static Call create(String op, Engine engine, Task task, Source source, Mode mode, int workers,
            int chunkSize, long timeoutNanos, Function<ItemFailure, RuntimeException> failureToException) {
        Call call = new Call(op, engine, task, source, mode, workers, chunkSize, timeoutNanos, failureToException);
        return engine.register(call) ? call : null;
    }

    /**
     * Starts the workers, or stops the call at once when the calling thread is already
     * interrupted ({@link java.util.concurrent.CancellationException}, the flag left set). The
     * calling thread never runs items of its own call: nothing could
     * abandon an item that ignores interrupts on it, so an interrupt or a close could not stop the
     * call in time (only a worker's nested call runs items on its caller, a worker itself).
     */
    public void begin() {
        if (Thread.currentThread().isInterrupted()) {
            throw receiver.interrupted(); // as ExecutorService.invokeAll: no item starts for an interrupted caller
        }
        crew.spawn();
    }

    // ---- what the façade reads and asks ----

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

    /** @return how many runners are inside an item right now */
    public int busy() {
        return crew.busy();
    }

    /** @return items finished by each worker (slot) so far, in the order the workers were made */
    public List<Long> donePerWorker() {
        return crew.donePerWorker();
    }

    /** @return how many items have failed so far */
    public long failedCount() {
        return gate.failedCount();
    }

    /** @return the failures recorded so far, by index ({@link Mode#COLLECT}) */
    public List<ItemFailure> failures() {
        return gate.collected();
    }

    /** Has the receiver run {@code tick} about every {@code periodNanos} while it waits, and counts items per worker for it. */
    public void onTick(Runnable tick, long periodNanos) {
        crew.countPerWorker(); // what the bar shows of each worker; before begin()
        receiver.onTick(tick, periodNanos);
    }

    /** Has the receiver run {@code hook} as soon as it is stopped, before it waits for items. */
    public void onStop(Runnable hook) {
        receiver.onStop(hook);
    }

    /** Waits for every result ({@link Mode#ALL}, {@link Mode#COLLECT}); see {@link Delivery}. */
    public List<Object> awaitAll() {
        return ((Delivery.All) delivery).await();
    }

    /** @return the lazy results ({@link Mode#ORDERED}, {@link Mode#UNORDERED}), for one thread */
    @SuppressWarnings("unchecked")
    public Iterator<Object> iterator() {
        return (Iterator<Object>) delivery;
    }

    /** Cancels the call (a lazy stream closed early): no new item starts. Idempotent. */
    public void cancel() {
        if (stopBy(Gate.Stop.CLOSED)) {
            engine.unregister(this);
        }
    }

    /**
     * Stops the call and waits for its running items, as for an interrupt, when something hit
     * the receiver (an asynchronous stop, an error in a hook). Does nothing once the call is over.
     */
    public void abort() {
        receiver.abort();
    }

    /** @return {@code 3 of 400 items done}, and the items still running when the call stopped */
    public String summary() {
        return receiver.summary();
    }

    // ---- for the other engine classes ----

    Engine engine() {
        return engine;
    }

    Task task() {
        return task;
    }

    ChunkSizer sizer() {
        return sizer;
    }

    /** Learns from one chunk of the call: {@code items} items took {@code nanos}. */
    void learn(int items, long nanos) {
        sizer.record(items, nanos);
        ItemCosts.learn(cost, items, nanos);
    }

    /** @return what decides whether an item may start and what its ending means */
    Gate gate() {
        return gate;
    }

    Receiver receiver() {
        return receiver;
    }

    boolean timed() {
        return monitor != null;
    }

    /** The timeout monitor found item {@code index} over its time; called before it is interrupted. */
    Gate.Verdict timedOut(long index, Object input) {
        return gate.timedOut(index, input, monitor.timeoutNanos());
    }

    RuntimeException toException(ItemFailure f) {
        return failureToException.apply(f);
    }

    void countDone(long n) {
        done.add(n);
    }

    // ---- runners ----

    /** @return the call's runners */
    Crew crew() {
        return crew;
    }

    /** @return where runners claim chunks */
    Claims claims() {
        return claims;
    }

    /** @return true if the runner may run items of this call; the timeouts start with the first */
    boolean enter(Runner r) {
        if (!crew.enter(r)) {
            return false;
        }
        if (monitor != null) {
            monitor.start();
        }
        return true;
    }

    void leave(Runner r) {
        crew.leave(r);
        receiver.wake();
    }

    void interruptFrom(long from) {
        crew.interruptFrom(from);
    }

    // ---- ending ----

    /**
     * Stops the call ({@link Gate#stop}): no item starts, running ones are interrupted; what the
     * engine and the caller's side see of a call when they end it.
     *
     * @return false if it was over
     */
    @Override
    public boolean stopBy(Gate.Stop why) {
        return gate.stop(why);
    }

    @Override
    public boolean wantsWorker() {
        return claims.claimable();
    }

    /** The receiver has every result. */
    void finish() {
        if (gate.finish()) {
            if (monitor != null) {
                monitor.stop();
            }
            engine.unregister(this);
        }
    }
}
